// Every string of the interface, in English and Arabic side by side, `key: [English, Arabic]`, so that
// a string cannot be added in one language only. A string may be a function of its arguments (page_of).
// The language is remembered in localStorage and sets <html lang dir>.

// Plural forms. English: one / other. Arabic: zero, one, two, few (3-10), many (11-99), other (100, 101 …),
// by the language's plural rules; the figure goes before the noun, and "one" and "two" are said by the noun.
const enPlural = new Intl.PluralRules('en');
const arPlural = new Intl.PluralRules('ar');
function en(n, one, other) { return `${n} ${enPlural.select(n) === 'one' ? one : other}`; }
function ar(n, forms) {
  const [zero, one, two, few, many, other] = forms.split('|');
  const cat = arPlural.select(n);
  if (cat === 'zero') return zero;
  if (cat === 'one') return one;
  if (cat === 'two') return two;
  return `${n} ${cat === 'few' ? few : cat === 'many' ? many : other}`;
}

const STRINGS = {
  title: ['rasad — conflict events explorer', 'رصد — مستكشف الأحداث'],
  brand: ['rasad', 'رصد'],
  nav_explorer: ['Explorer', 'المستكشف'],
  nav_tallies: ['Tallies', 'الحصائل'],
  nav_review: ['Review queue', 'قائمة المراجعة'],
  language: ['العربية', 'English'],
  token: ['Access token', 'رمز الدخول'],
  sign_in: ['Sign in', 'تسجيل الدخول'],
  sign_out: ['Sign out', 'تسجيل الخروج'],
  signed_in_as: ['Signed in as', 'مسجّل باسم'],
  sign_in_failed: ['Sign-in failed', 'تعذّر تسجيل الدخول'],
  filters: ['Filters', 'التصفية'],
  since: ['From', 'من'],
  until: ['To', 'إلى'],
  admin1: ['Governorate', 'المحافظة'],
  admin2: ['District', 'المنطقة'],
  actor: ['Actor', 'الطرف'],
  event_type: ['Event type', 'نوع الحدث'],
  min_fatalities: ['Min. fatalities', 'أدنى عدد للقتلى'],
  q: ['Search text', 'بحث في النص'],
  status: ['Status', 'الحالة'],
  any: ['Any', 'الكل'],
  reset: ['Reset', 'إعادة ضبط'],
  export_csv: ['ACLED CSV', 'ملف ACLED CSV'],
  export_geojson: ['GeoJSON', 'GeoJSON'],
  map: ['Map', 'الخريطة'],
  in_view: ['Only events in the map view', 'الأحداث الظاهرة في الخريطة فقط'],
  zoom_to_selection: ['Zoom to the selection', 'تكبير الخريطة على الأحداث المختارة'],
  timeline: ['Timeline', 'الخط الزمني'],
  bin_day: ['per day', 'يومياً'],
  bin_week: ['per week', 'أسبوعياً'],
  bin_month: ['per month', 'شهرياً'],
  bin_auto: ['auto', 'تلقائياً'],
  bin_shown: [(b) => `Bars ${b}.`, (b) => `الأعمدة ${b}.`],
  bin_widened: [(asked, shown) => `Too many bars ${asked} for the width: shown ${shown}.`, (asked, shown) => `الأعمدة ${asked} أكثر مما يتسع له العرض: عُرضت ${shown}.`],
  events: ['Events', 'الأحداث'],
  fatalities: ['Fatalities', 'القتلى'],
  clear_brush: ['Clear selection', 'إلغاء التحديد'],
  brush_hint: ['Drag across the timeline to filter by date.', 'اسحب على الخط الزمني لتصفية التواريخ.'],
  approx_districts: ['approximate district lines', 'خطوط المناطق تقريبية'],
  no_boundaries: ['No governorate lines: run make install, or rasad boundaries import FILE.', 'لا خطوط للمحافظات: شغّل make install أو rasad boundaries import FILE.'],
  id: ['ID', 'الرقم'],
  date: ['Date', 'التاريخ'],
  type: ['Type', 'النوع'],
  actors: ['Actors', 'الأطراف'],
  location: ['Location', 'المكان'],
  sources: ['Sources', 'المصادر'],
  reports: ['Reports', 'التقارير'],
  wounded: ['Wounded', 'الجرحى'],
  corrected: ['corrected', 'مصحَّح'],
  page_of: [(p, n, total) => `Page ${p} of ${n} · ${en(total, 'event', 'events')}`, (p, n, total) => `الصفحة ${p} من ${n} · ${ar(total, 'لا أحداث|حدث واحد|حدثان|أحداث|حدثاً|حدث')}`],
  n_reports: [(n) => `${en(n, 'report', 'reports')}`, (n) => `${ar(n, 'لا تقارير|تقرير واحد|تقريران|تقارير|تقريراً|تقرير')}`],
  n_events: [(n) => `${en(n, 'event', 'events')}`, (n) => `${ar(n, 'لا أحداث|حدث واحد|حدثان|أحداث|حدثاً|حدث')}`],
  n_fatalities: [(n) => `${en(n, 'killed', 'killed')}`, (n) => `${ar(n, 'لا قتلى|قتيل واحد|قتيلان|قتلى|قتيلاً|قتيل')}`],
  selected: ['Selected', 'المحدَّد'],
  n_unplaced: [(n) => `${en(n, 'event', 'events')} without coordinates: not on the map.`, (n) => `${ar(n, 'لا أحداث|حدث واحد|حدثان|أحداث|حدثاً|حدث')} بلا إحداثيات: ليست على الخريطة.`],
  list_them: ['List them', 'اعرضها'],
  unselect: ['Unselect', 'إلغاء التحديد'],
  prev: ['Previous', 'السابق'],
  next: ['Next', 'التالي'],
  page: ['page', 'صفحة'],
  per_page: ['Events per page', 'عدد الأحداث في الصفحة'],
  map_aggregated: [(n, limit) => `${en(n, 'event', 'events')} in view, more than ${limit}: counted on a grid. Zoom in or filter to see them one by one.`, (n, limit) => `${ar(n, 'لا أحداث|حدث واحد|حدثان|أحداث|حدثاً|حدث')} في الخريطة، أكثر من ${limit}: عُدّت على شبكة. قرّب الخريطة أو صفِّ الأحداث لتراها واحداً واحداً.`],
  no_events: ['No events match the filters.', 'لا أحداث تطابق التصفية.'],
  loading: ['Loading…', 'جارٍ التحميل…'],
  error: ['Error', 'خطأ'],
  event: ['Event', 'الحدث'],
  back: ['← Back to the explorer', '→ العودة إلى المستكشف'],
  summary: ['Summary', 'الملخص'],
  sub_event_type: ['Sub-event type', 'النوع الفرعي'],
  actor1: ['Actor 1', 'الطرف الأول'],
  actor2: ['Actor 2', 'الطرف الثاني'],
  precision: ['precision', 'الدقة'],
  coordinates: ['Coordinates', 'الإحداثيات'],
  claims: ['Claims (who said what)', 'الادعاءات (من قال ماذا)'],
  claimant: ['Claimant', 'صاحب الادعاء'],
  claimant_type: ['Claimant type', 'نوعه'],
  figure: ['Figure', 'الرقم'],
  qualifier: ['Qualifier', 'الصيغة'],
  superseded: ['Superseded', 'تجاوزه رقم لاحق'],
  yes: ['yes', 'نعم'],
  no: ['no', 'لا'],
  category: ['Field', 'الحقل'],
  merged_reports: ['Merged reports', 'التقارير المدمجة'],
  merge_reason: ['Why it belongs', 'سبب الدمج'],
  rules_fired: ['Rules that made it', 'القواعد التي أنتجته'],
  fp_lexicon: ['lexicon', 'المعجم'],
  fp_rules: ['rules', 'القواعد'],
  fp_gazetteer: ['gazetteer', 'المعجم الجغرافي'],
  report: ['Report', 'التقرير'],
  document: ['Document', 'الوثيقة'],
  published: ['Published', 'تاريخ النشر'],
  source_text: ['Source text', 'نص المصدر'],
  open_source: ['Original article', 'المقال الأصلي'],
  evidence_legend: ['Highlighted: the words each value was read from.', 'المظلَّل: الكلمات التي قُرئت منها كل قيمة.'],
  audit: ['Audit trail', 'سجل التدقيق'],
  user: ['User', 'المستخدم'],
  at: ['When', 'الوقت'],
  action: ['Action', 'الإجراء'],
  field: ['Field', 'الحقل'],
  old: ['Old', 'القديم'],
  new: ['New', 'الجديد'],
  note: ['Note', 'ملاحظة'],
  no_audit: ['No corrections yet.', 'لا تصحيحات بعد.'],
  review: ['Review', 'المراجعة'],
  confirm: ['Confirm', 'تأكيد'],
  reject: ['Reject', 'رفض'],
  correct: ['Correct a field', 'تصحيح حقل'],
  value: ['Value', 'القيمة'],
  low: ['low', 'الأدنى'],
  best: ['best', 'الأرجح'],
  high: ['high', 'الأعلى'],
  save: ['Save correction', 'حفظ التصحيح'],
  merge_with: ['Merge with event ID', 'الدمج مع الحدث رقم'],
  merge: ['Merge', 'دمج'],
  split: ['Split the selected reports into a new event', 'فصل التقارير المحددة في حدث جديد'],
  select_for_split: ['select for split', 'تحديد للفصل'],
  done: ['Saved.', 'حُفظ.'],
  sign_in_to_review: ['Sign in to confirm, correct, reject, merge or split.', 'سجّل الدخول للتأكيد أو التصحيح أو الرفض أو الدمج أو الفصل.'],
  tallies: ['Tallies', 'الحصائل'],
  stats_series: ['Reported tallies (statistics)', 'الحصائل المنشورة (إحصاءات)'],
  by_month: ['Events and fatalities by month', 'الأحداث والقتلى شهرياً'],
  period: ['Period', 'الفترة'],
  count: ['Count', 'العدد'],
  no_data: ['No data.', 'لا بيانات.'],
  events_per_month: ['events', 'أحداث'],
  fatalities_per_month: ['fatalities', 'قتلى'],
  not_found: ['Not found.', 'غير موجود.'],
  counted: ['What was counted', 'المعدود'],
  sentence: ['Sentence', 'الجملة'],
  read_sentence: ['Read it in its article', 'اقرأها في مقالها'],
  back_tallies: ['← Back to the tallies', '→ العودة إلى الحصائل'],
  tally_until: [(d) => `until ${d}`, (d) => `حتى ${d}`],
  tally_since: [(d) => `since ${d}`, (d) => `منذ ${d}`],
  tally_no_period: ['period not given', 'الفترة غير مذكورة'],
  tally_times: ['times (attacks)', 'مرات (هجمات)'],
  tally_people: ['people', 'أشخاص'],
  reason_new: [(n) => `The first report of this event (${n} candidate events compared).`, (n) => `أول تقرير عن هذا الحدث (قورن بـ ${n} من الأحداث المرشحة).`],
  reason_joined: ['Joined event', 'انضم إلى الحدث'],
  reason_score: ['score', 'الدرجة'],
  reason_merged: [(u) => `Merged by ${u} from event`, (u) => `دمجه ${u} من الحدث`],
  reason_split: [(u) => `Split by ${u} from event`, (u) => `فصله ${u} من الحدث`],
  status_default: ['All but rejected', 'الكل عدا المرفوض'],
  status_all: ['All', 'الكل'],
  status_unreviewed: ['Unreviewed', 'لم يُراجَع'],
  status_confirmed: ['Confirmed', 'مؤكَّد'],
  status_corrected: ['Corrected', 'مصحَّح'],
  status_rejected: ['Rejected', 'مرفوض'],
  // the review queue (review.js) and its reasons (rasad.database.queue.REASONS)
  review_queue: ['Events that need a look', 'أحداث تحتاج إلى مراجعة'],
  needs_a_look: ['Needs a look', 'تحتاج إلى مراجعة'],
  reasons: ['Why', 'السبب'],
  reason_any: ['Any reason', 'أي سبب'],
  reason_hedged: ['Hedged report', 'خبر بصيغة الظن'],
  reason_attacker_elsewhere: ['Attacker taken from elsewhere in the article', 'الفاعل مأخوذ من موضع آخر في المقال'],
  reason_governorate_inferred: ['Governorate from the preceding text', 'المحافظة مأخوذة من نص سابق'],
  reason_admin1_level: ['Placed at governorate level only', 'المكان على مستوى المحافظة فقط'],
  reason_no_admin1: ['No governorate', 'بلا محافظة'],
  reason_place_ambiguous: ['Ambiguous place name', 'اسم مكان ملتبس'],
  reason_no_coordinates: ['Not on the map (no coordinates)', 'ليس على الخريطة (بلا إحداثيات)'],
  reason_undated: ['No date', 'بلا تاريخ'],
  reason_no_figure: ['Fatalities without a figure', 'قتلى بلا رقم'],
  reason_recalled: ['Recalled (an earlier event told again)', 'حدث سابق يُستعاد ذكره'],
  reason_outside_syria: ['Placed outside Syria', 'خارج سوريا'],
  queue_empty: ['Nothing left to look at here.', 'لا شيء للمراجعة هنا.'],
  queue_done: [(what, id) => `${what}: event #${id}, saved in its audit trail.`, (what, id) => `${what}: الحدث رقم ${id}، حُفظ في سجل التدقيق.`],
  correct_short: ['Correct', 'تصحيح'],
  cancel: ['Cancel', 'إلغاء'],
  shortcuts: ['Keyboard', 'لوحة المفاتيح'],
  key_next: ['next event', 'الحدث التالي'],
  key_prev: ['previous event', 'الحدث السابق'],
  key_open: ['open the event', 'فتح الحدث'],
  key_close: ['close the form', 'إغلاق النموذج'],
  open_queue: ['Open the review queue', 'فتح قائمة المراجعة'],
  // the names of evidence fields, as the event page's legend shows them (fieldName)
  field_fatalities: ['fatalities', 'القتلى'],
  field_wounded: ['wounded', 'الجرحى'],
  field_date: ['date', 'التاريخ'],
  field_actor1: ['actor 1', 'الطرف الأول'],
  field_actor2: ['actor 2', 'الطرف الثاني'],
  field_location: ['location', 'المكان'],
  field_weapons: ['weapons', 'الأسلحة'],
  field_event: ['event', 'الحدث'],
  field_event_type: ['event type', 'نوع الحدث'],
  field_sub_event_type: ['sub-event type', 'النوع الفرعي'],
  field_admin1: ['governorate', 'المحافظة'],
  field_admin2: ['district', 'المنطقة'],
  field_lat: ['latitude', 'خط العرض'],
  field_lon: ['longitude', 'خط الطول'],
  field_status: ['status', 'الحالة'],
  field_reports: ['reports', 'التقارير'],
  field_date_precision: ['date precision', 'دقة التاريخ'],
  field_geo_precision: ['place precision', 'دقة المكان'],
};

// ACLED event and sub-event types, date and place precision, claimant types and figure qualifiers: the data
// keeps their English codes, the interface shows them in its language
const ACLED_TYPES_AR = {
  'Battles': 'معارك',
  'Explosions/Remote violence': 'انفجارات/عنف عن بعد',
  'Violence against civilians': 'عنف ضد المدنيين',
  'Protests': 'احتجاجات',
  'Riots': 'أعمال شغب',
  'Strategic developments': 'تطورات استراتيجية',
  'Armed clash': 'اشتباك مسلح',
  'Government regains territory': 'استعادة الحكومة السيطرة على منطقة',
  'Non-state actor overtakes territory': 'سيطرة طرف غير حكومي على منطقة',
  'Chemical weapon': 'سلاح كيميائي',
  'Air/drone strike': 'غارة جوية/بطائرة مسيّرة',
  'Suicide bomb': 'تفجير انتحاري',
  'Shelling/artillery/missile attack': 'قصف مدفعي/صاروخي',
  'Remote explosive/landmine/IED': 'عبوة ناسفة/لغم',
  'Grenade': 'قنبلة يدوية',
  'Sexual violence': 'عنف جنسي',
  'Attack': 'هجوم',
  'Abduction/forced disappearance': 'خطف/إخفاء قسري',
  'Peaceful protest': 'احتجاج سلمي',
  'Protest with intervention': 'احتجاج مع تدخل',
  'Excessive force against protesters': 'قوة مفرطة ضد المحتجين',
  'Violent demonstration': 'تظاهرة عنيفة',
  'Mob violence': 'عنف جماعي',
  'Agreement': 'اتفاق',
  'Arrests': 'اعتقالات',
  'Change to group/activity': 'تغيّر في جماعة أو نشاط',
  'Disrupted weapons use': 'إحباط استخدام أسلحة',
  'Headquarters or base established': 'إنشاء مقر أو قاعدة',
  'Looting/property destruction': 'نهب/تدمير ممتلكات',
  'Non-violent transfer of territory': 'انتقال منطقة دون عنف',
  'Other': 'أخرى',
};
const DATE_PRECISION = {
  day: ['day', 'اليوم'], week: ['within a week', 'خلال أسبوع'], month: ['within a month', 'خلال شهر'],
  year: ['within a year', 'خلال سنة'], unknown: ['unknown', 'غير معروفة'],
};
const GEO_PRECISION = {
  1: ['the place itself', 'المكان نفسه'], 2: ['near the place, or an area', 'قرب المكان أو منطقة'],
  3: ['the governorate only', 'المحافظة فقط'],
};
const CLAIMANT_TYPES = {
  monitor: ['monitor', 'مرصد أو منظمة'], state_media: ['state media', 'إعلام رسمي'], official: ['official', 'جهة رسمية'],
  party: ['armed party', 'طرف مسلح'], activist: ['activist', 'ناشط'], local_network: ['local network', 'شبكة محلية'],
  local_sources: ['local sources', 'مصادر محلية'], media: ['media', 'وسيلة إعلام'], outlet: ['the outlet', 'الوسيلة الناشرة'],
};
const QUALIFIERS = {
  about: ['about', 'نحو'], at_least: ['at least', 'على الأقل'], at_most: ['at most', 'على الأكثر'],
  less_than: ['fewer than', 'أقل من'], more_than: ['more than', 'أكثر من'],
};

// the audit trail's actions (rasad.database.review)
const ACTIONS = {
  confirm: ['confirm', 'تأكيد'], reject: ['reject', 'رفض'], correct: ['correct', 'تصحيح'], merge: ['merge', 'دمج'],
  split: ['split', 'فصل'],
};

const KEY = 'rasad.lang';
let lang = (() => {
  try { const v = localStorage.getItem(KEY); if (v === 'ar' || v === 'en') return v; } catch (_e) { /* private mode */ }
  return (navigator.language || '').startsWith('ar') ? 'ar' : 'en';
})();

export function getLang() { return lang; }

const inLang = (pair) => pair[lang === 'ar' ? 1 : 0] ?? pair[0];

export function t(key, ...args) {
  const v = STRINGS[key] ? inLang(STRINGS[key]) : key;
  return typeof v === 'function' ? v(...args) : v;
}

export function fieldName(f) { return STRINGS[`field_${f}`] ? t(`field_${f}`) : f; }

// an ACLED event type or sub-event type in the interface language
export function eventTypeName(et) {
  if (!et) return '–';
  return lang === 'ar' ? (ACLED_TYPES_AR[et] || et) : et;
}

export const subEventTypeName = eventTypeName;

const coded = (table, v) => (v === null || v === undefined || v === '' ? '–' : (table[v] ? inLang(table[v]) : String(v)));
export function datePrecisionName(p) { return coded(DATE_PRECISION, p); }
export function geoPrecisionName(p) { return coded(GEO_PRECISION, p); }
export function claimantTypeName(ct) { return coded(CLAIMANT_TYPES, ct); }
export function qualifierName(q) { return coded(QUALIFIERS, q); }
export function actionName(a) { return coded(ACTIONS, a); }

// The merge reasons the server writes (rasad.database.merge.compare), in Arabic; a value they carry (a
// day, a place, a name) is kept as it is, isolated by the caller
const MERGE_REASONS_AR = [
  [/^same day (.+)$/, 'اليوم نفسه: $1'],
  [/^the same night told as two days \((.+)\)$/, 'الليلة نفسها رُويت في يومين ($1)'],
  [/^reported the same day$/, 'نُشر في اليوم نفسه'],
  [/^dates overlap \((\d+) days apart\)$/, 'تتداخل التواريخ (بفارق $1 يوم)'],
  [/^same place \((\d+) km\)$/, 'المكان نفسه ($1 كم)'],
  [/^nearby \((\d+) km\)$/, 'مكان قريب ($1 كم)'],
  [/^same governorate (.+)$/, 'المحافظة نفسها: $1'],
  [/^same place (.+)$/, 'المكان نفسه: $1'],
  [/^same type (.+)$/, 'النوع نفسه: $1'],
  [/^same attacker (.+)$/, 'المهاجم نفسه: $1'],
  [/^allied attackers (.+)$/, 'مهاجمون حلفاء: $1'],
  [/^same target (.+)$/, 'الهدف نفسه: $1'],
  [/^same toll (.+)$/, 'الحصيلة نفسها: $1'],
  [/^close tolls (.+)$/, 'حصيلتان متقاربتان: $1'],
  [/^strong agreement without a common precise place$/, 'توافق قوي دون مكان دقيق مشترك'],
  [/^undated report with strong agreement$/, 'تقرير بلا تاريخ بتوافق قوي'],
];
export function mergeReasonText(text) {
  if (lang !== 'ar') return text;
  for (const [re, ar] of MERGE_REASONS_AR) if (re.test(text)) return text.replace(re, ar);
  return text;
}

// Governorates, districts and actors in the interface language: the server's facets give each its Arabic name
// (admin1.tsv; a district's from the gazetteer through its events; an actor's from actors.tsv), learnt once
// they come
const NAMES_AR = { admin1: new Map(), admin2: new Map(), actor: new Map() };
export function learnNames(kind, list) {
  for (const g of list || []) if (g && g.value && g.name_ar) NAMES_AR[kind].set(String(g.value), g.name_ar);
}
export function governorateName(g) {
  if (!g) return '–';
  return lang === 'ar' ? (NAMES_AR.admin1.get(g) || g) : g;
}
export function actorName(a) {
  if (!a) return '–';
  return lang === 'ar' ? (NAMES_AR.actor.get(a) || a) : a;
}
export function districtName(d, arabic = null) {
  if (!d) return '–';
  return lang === 'ar' ? (arabic || NAMES_AR.admin2.get(d) || d) : d;
}

// Static elements carry data-i18n="key" (text) or data-i18n-placeholder / data-i18n-title.
export function applyLang() {
  const html = document.documentElement;
  html.lang = lang;
  html.dir = lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

export function setLang(l) {
  lang = l === 'ar' ? 'ar' : 'en';
  try { localStorage.setItem(KEY, lang); } catch (_e) { /* private mode */ }
  applyLang();
}
