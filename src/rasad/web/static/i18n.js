// Arabic and English strings. The language is remembered in localStorage and sets <html lang dir>.

const STRINGS = {
  en: {
    title: 'rasad — conflict events explorer', brand: 'rasad', nav_explorer: 'Explorer', nav_tallies: 'Tallies',
    language: 'العربية', token: 'Access token', sign_in: 'Sign in', sign_out: 'Sign out',
    signed_in_as: 'Signed in as', sign_in_failed: 'Sign-in failed',
    filters: 'Filters', since: 'From', until: 'To', admin1: 'Governorate', admin2: 'District',
    actor: 'Actor', event_type: 'Event type', min_fatalities: 'Min. fatalities', q: 'Search text',
    status: 'Status', any: 'Any', reset: 'Reset', export_csv: 'ACLED CSV', export_geojson: 'GeoJSON',
    map: 'Map', in_view: 'Only events in the map view', timeline: 'Timeline', bin_day: 'per day', bin_week: 'per week', events: 'Events',
    fatalities: 'Fatalities', clear_brush: 'Clear selection', brush_hint: 'Drag across the timeline to filter by date.',
    no_boundaries: 'No governorate boundaries imported (rasad boundaries import FILE).',
    id: 'ID', date: 'Date', type: 'Type', actors: 'Actors', location: 'Location', sources: 'Sources',
    reports: 'Reports', wounded: 'Wounded', corrected: 'corrected',
    page_of: (p, n, total) => `Page ${p} of ${n} · ${total} events`, prev: 'Previous', next: 'Next', page: 'page', per_page: 'Events per page',
    map_aggregated: (n, limit) => `${n} events in view, more than ${limit}: counted on a grid. Zoom in or filter to see them one by one.`,
    no_events: 'No events match the filters.', loading: 'Loading…', error: 'Error',
    event: 'Event', back: '← Back to the explorer', summary: 'Summary', sub_event_type: 'Sub-event type',
    actor1: 'Actor 1', actor2: 'Actor 2', precision: 'precision', coordinates: 'Coordinates',
    claims: 'Claims (who said what)', claimant: 'Claimant', claimant_type: 'Claimant type', figure: 'Figure',
    qualifier: 'Qualifier', superseded: 'Superseded', yes: 'yes', no: 'no', category: 'Field',
    merged_reports: 'Merged reports', merge_reason: 'Why it belongs', report: 'Report', document: 'Document',
    published: 'Published', source_text: 'Source text', open_source: 'Original article',
    evidence_legend: 'Highlighted: the words each value was read from.',
    audit: 'Audit trail', user: 'User', at: 'When', action: 'Action', field: 'Field', old: 'Old', new: 'New', note: 'Note',
    no_audit: 'No corrections yet.', review: 'Review', confirm: 'Confirm', reject: 'Reject',
    correct: 'Correct a field', value: 'Value', low: 'low', best: 'best', high: 'high', save: 'Save correction',
    merge_with: 'Merge with event ID', merge: 'Merge', split: 'Split the selected reports into a new event',
    select_for_split: 'select for split', done: 'Saved.', sign_in_to_review: 'Sign in to confirm, correct, reject, merge or split.',
    tallies: 'Tallies', stats_series: 'Reported tallies (statistics)', by_month: 'Events and fatalities by month',
    period: 'Period', count: 'Count', no_data: 'No data.', events_per_month: 'events', fatalities_per_month: 'fatalities',
    not_found: 'Not found.',
    reason_new: (n) => `The first report of this event (${n} candidate events compared).`,
    reason_joined: 'Joined event', reason_score: 'score', reason_merged: (u) => `Merged by ${u} from event`,
    reason_split: (u) => `Split by ${u} from event`,
    status_default: 'All but rejected', status_all: 'All', status_unreviewed: 'Unreviewed', status_confirmed: 'Confirmed',
    status_corrected: 'Corrected', status_rejected: 'Rejected',
    field_names: {
      fatalities: 'fatalities', wounded: 'wounded', date: 'date', actor1: 'actor 1', actor2: 'actor 2',
      location: 'location', weapons: 'weapons', event: 'event', event_type: 'event type',
    },
  },
  ar: {
    title: 'رصد — مستكشف الأحداث', brand: 'رصد', nav_explorer: 'المستكشف', nav_tallies: 'الحصائل',
    language: 'English', token: 'رمز الدخول', sign_in: 'تسجيل الدخول', sign_out: 'تسجيل الخروج',
    signed_in_as: 'مسجّل باسم', sign_in_failed: 'تعذّر تسجيل الدخول',
    filters: 'التصفية', since: 'من', until: 'إلى', admin1: 'المحافظة', admin2: 'المنطقة',
    actor: 'الطرف', event_type: 'نوع الحدث', min_fatalities: 'أدنى عدد للقتلى', q: 'بحث في النص',
    status: 'الحالة', any: 'الكل', reset: 'إعادة ضبط', export_csv: 'ملف ACLED CSV', export_geojson: 'GeoJSON',
    map: 'الخريطة', in_view: 'الأحداث الظاهرة في الخريطة فقط', timeline: 'الخط الزمني', bin_day: 'يومياً', bin_week: 'أسبوعياً', events: 'الأحداث',
    fatalities: 'القتلى', clear_brush: 'إلغاء التحديد', brush_hint: 'اسحب على الخط الزمني لتصفية التواريخ.',
    no_boundaries: 'لم تُستورد حدود المحافظات (rasad boundaries import FILE).',
    id: 'الرقم', date: 'التاريخ', type: 'النوع', actors: 'الأطراف', location: 'المكان', sources: 'المصادر',
    reports: 'التقارير', wounded: 'الجرحى', corrected: 'مصحَّح',
    page_of: (p, n, total) => `الصفحة ${p} من ${n} · ${total} حدثاً`, prev: 'السابق', next: 'التالي', page: 'صفحة', per_page: 'عدد الأحداث في الصفحة',
    map_aggregated: (n, limit) => `${n} حدثاً في الخريطة، أكثر من ${limit}: عُدّت على شبكة. قرّب الخريطة أو صفِّ الأحداث لتراها واحداً واحداً.`,
    no_events: 'لا أحداث تطابق التصفية.', loading: 'جارٍ التحميل…', error: 'خطأ',
    event: 'الحدث', back: '→ العودة إلى المستكشف', summary: 'الملخص', sub_event_type: 'النوع الفرعي',
    actor1: 'الطرف الأول', actor2: 'الطرف الثاني', precision: 'الدقة', coordinates: 'الإحداثيات',
    claims: 'الادعاءات (من قال ماذا)', claimant: 'صاحب الادعاء', claimant_type: 'نوعه', figure: 'الرقم',
    qualifier: 'الصيغة', superseded: 'تجاوزه رقم لاحق', yes: 'نعم', no: 'لا', category: 'الحقل',
    merged_reports: 'التقارير المدمجة', merge_reason: 'سبب الدمج', report: 'التقرير', document: 'الوثيقة',
    published: 'تاريخ النشر', source_text: 'نص المصدر', open_source: 'المقال الأصلي',
    evidence_legend: 'المظلَّل: الكلمات التي قُرئت منها كل قيمة.',
    audit: 'سجل التدقيق', user: 'المستخدم', at: 'الوقت', action: 'الإجراء', field: 'الحقل', old: 'القديم', new: 'الجديد', note: 'ملاحظة',
    no_audit: 'لا تصحيحات بعد.', review: 'المراجعة', confirm: 'تأكيد', reject: 'رفض',
    correct: 'تصحيح حقل', value: 'القيمة', low: 'الأدنى', best: 'الأرجح', high: 'الأعلى', save: 'حفظ التصحيح',
    merge_with: 'الدمج مع الحدث رقم', merge: 'دمج', split: 'فصل التقارير المحددة في حدث جديد',
    select_for_split: 'تحديد للفصل', done: 'حُفظ.', sign_in_to_review: 'سجّل الدخول للتأكيد أو التصحيح أو الرفض أو الدمج أو الفصل.',
    tallies: 'الحصائل', stats_series: 'الحصائل المنشورة (إحصاءات)', by_month: 'الأحداث والقتلى شهرياً',
    period: 'الفترة', count: 'العدد', no_data: 'لا بيانات.', events_per_month: 'أحداث', fatalities_per_month: 'قتلى',
    not_found: 'غير موجود.',
    reason_new: (n) => `أول تقرير عن هذا الحدث (قورن بـ ${n} من الأحداث المرشحة).`,
    reason_joined: 'انضم إلى الحدث', reason_score: 'الدرجة', reason_merged: (u) => `دمجه ${u} من الحدث`,
    reason_split: (u) => `فصله ${u} من الحدث`,
    status_default: 'الكل عدا المرفوض', status_all: 'الكل', status_unreviewed: 'لم يُراجَع', status_confirmed: 'مؤكَّد',
    status_corrected: 'مصحَّح', status_rejected: 'مرفوض',
    field_names: {
      fatalities: 'القتلى', wounded: 'الجرحى', date: 'التاريخ', actor1: 'الطرف الأول', actor2: 'الطرف الثاني',
      location: 'المكان', weapons: 'الأسلحة', event: 'الحدث', event_type: 'نوع الحدث',
    },
  },
};

// ACLED event types, shown in the interface language; the data keeps ACLED's English names.
const EVENT_TYPES_AR = {
  'Battles': 'معارك',
  'Explosions/Remote violence': 'انفجارات/عنف عن بعد',
  'Violence against civilians': 'عنف ضد المدنيين',
  'Protests': 'احتجاجات',
  'Riots': 'أعمال شغب',
  'Strategic developments': 'تطورات استراتيجية',
};

const KEY = 'rasad.lang';
let lang = (() => {
  try { const v = localStorage.getItem(KEY); if (v === 'ar' || v === 'en') return v; } catch (_e) { /* private mode */ }
  return (navigator.language || '').startsWith('ar') ? 'ar' : 'en';
})();

export function getLang() { return lang; }

export function t(key, ...args) {
  const v = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

export function fieldName(f) { return STRINGS[lang].field_names[f] || f; }

export function eventTypeName(et) {
  if (!et) return '–';
  return lang === 'ar' ? (EVENT_TYPES_AR[et] || et) : et;
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
