// The inputs of a correction and the value they hold, for the event page and the review queue alike:
// a range (low / best / high) for the tolls, a number for a coordinate, a day for the date, text otherwise.
import { clear, h } from './dom.js';
import { t } from './i18n.js';

export const RANGE_FIELDS = new Set(['fatalities', 'wounded']);
export const NUMBER_FIELDS = new Set(['lat', 'lon']);

// fill `box` with the inputs for field f of event ev; ids start with `prefix` (prefix-low, prefix-value …);
// `custom(f)` may give an input of its own for a field (a select of event types), else null
export function correctionInputs(box, prefix, f, ev, custom = () => null) {
  clear(box);
  if (RANGE_FIELDS.has(f)) {
    const cur = ev[f] || {};
    for (const k of ['low', 'best', 'high']) {
      box.append(h('label', { class: 'inline' }, t(k),
        h('input', { type: 'number', min: '0', step: '1', id: `${prefix}-${k}`, name: k, value: cur[k] ?? '' })));
    }
    return;
  }
  const input = custom(f) || h('input', {
    type: NUMBER_FIELDS.has(f) ? 'number' : (f === 'date' ? 'date' : 'text'), step: 'any', id: `${prefix}-value`,
    name: 'value', value: ev[f] ?? '', dir: 'auto' });
  box.append(h('label', { class: 'inline' }, t('value'), input));
}

// the value the inputs of field f hold: {low, best, high} for a range, a number for a coordinate, null when empty
export function correctionValue(form, prefix, f) {
  if (RANGE_FIELDS.has(f)) {
    const value = {};
    for (const k of ['low', 'best', 'high']) {
      const v = form.querySelector(`#${prefix}-${k}`).value;
      value[k] = v === '' ? null : Number(v);
    }
    return value;
  }
  const v = form.querySelector(`#${prefix}-value`).value.trim();
  return v === '' ? null : (NUMBER_FIELDS.has(f) ? Number(v) : v);
}
