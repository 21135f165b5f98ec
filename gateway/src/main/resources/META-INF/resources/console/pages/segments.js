// Segment builder: a rule tree (all / any / not groups of field-operator-value rows) in the fixed JSON form
// (docs/SEGMENTS.md), its live count as it is edited (POST /segments/preview, nothing saved), saving it
// (POST /segments) and the saved segments with their counts (GET /segments/{id}/count).
import { api, ApiError } from '../api.js';
import { card, clear, errorBox, fill, h, select, table } from '../dom.js';
import { dateTime, label, num } from '../format.js';
import { t } from '../i18n.js';

const TEXT = ['eq', 'neq', 'in', 'not_in', 'contains', 'exists'];
const NUMBER = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'];
const DATE = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'within_last', 'before'];
const TIME = ['gt', 'gte', 'lt', 'lte', 'between', 'exists', 'within_last', 'before'];
const EVENT = ['exists', 'within_last', 'before'];

/** field → [kind, operators]; kinds decide how a typed value becomes JSON. */
export const FIELDS = {
  rfm_segment: ['text', TEXT], rfm11: ['text', TEXT], lifecycle_stage: ['text', TEXT], tags: ['list', ['contains', 'in', 'not_in', 'exists']],
  predicted_clv_365d: ['number', NUMBER], p_alive: ['number', NUMBER], monetary: ['number', NUMBER],
  frequency: ['number', NUMBER], recency_days: ['number', NUMBER], points_balance: ['number', NUMBER],
  tier: ['text', TEXT], name: ['text', TEXT], external_id: ['text', TEXT], gender: ['text', TEXT], province: ['text', TEXT],
  city: ['text', TEXT], platform: ['text', TEXT], age_band: ['text', TEXT],
  birthday: ['date', DATE], created_at: ['date', TIME], last_order_at: ['date', TIME], expected_next_order_at: ['date', TIME],
  'consent.sms': ['boolean', ['eq', 'neq', 'exists']], 'consent.email': ['boolean', ['eq', 'neq', 'exists']],
  'consent.app': ['boolean', ['eq', 'neq', 'exists']],
  'event.cart_abandon': ['event', EVENT], 'event.cart_add': ['event', EVENT], 'event.view': ['event', EVENT],
  'event.favourite': ['event', EVENT], 'event.consult': ['event', EVENT], 'event.review': ['event', EVENT],
  segment: ['segment', ['in', 'not_in']],
};
const SUGGESTIONS = {
  rfm_segment: ['important_value', 'important_development', 'important_retention', 'important_winback',
    'general_value', 'general_development', 'general_retention', 'general_winback'],
  lifecycle_stage: ['prospect', 'new', 'active', 'at_risk', 'churned'],
  platform: ['taobao', 'tmall', 'jd', 'own_site', 'offline'],
  gender: ['male', 'female', 'unknown'],
};

let nextKey = 1;
let tree = group('all', [leaf()]);

function group(mode, children) {
  return { key: nextKey++, mode, children };
}

function leaf(field = 'rfm_segment', op = 'in', value = 'important_value') {
  return { key: nextKey++, field, op, value };
}

/** The tree as the API's rule (fixed JSON form). A "not" group of several rows is not(all(...)). */
export function toRule(node) {
  if (node.children) {
    const children = node.children.map(toRule);
    if (node.mode === 'not') {
      return { not: children.length === 1 ? children[0] : { all: children } };
    }
    return { [node.mode]: children };
  }
  return { field: node.field, op: node.op, value: parseValue(node) };
}

function parseValue({ field, op, value }) {
  const kind = FIELDS[field][0];
  const text = String(value ?? '').trim();
  const scalar = (s) => {
    if (kind === 'number' || kind === 'segment') {
      return s === '' || Number.isNaN(Number(s)) ? s : Number(s);
    }
    if (kind === 'boolean') {
      return s === 'true' ? true : s === 'false' ? false : s;
    }
    return s;
  };
  if (op === 'exists') {
    return text !== 'false';
  }
  if (op === 'within_last' || op === 'before') {
    return text === '' || Number.isNaN(Number(text)) ? text : Number(text);
  }
  if (op === 'in' || op === 'not_in' || op === 'between') {
    return text === '' ? [] : text.split(/[,，]/).map((s) => scalar(s.trim()));
  }
  return scalar(text);
}

export async function render(main) {
  const countBox = h('div', { class: 'live-count', 'data-test': 'live-count', 'aria-live': 'polite' });
  const sampleBox = h('div', { class: 'small muted' });
  const editor = h('div', { class: 'rule-tree', 'data-test': 'rule-tree' });
  const nameInput = h('input', { placeholder: t('seg.name'), 'data-test': 'segment-name' });
  const saveResult = h('div', { 'data-test': 'save-result' });
  const saved = h('div', { 'data-test': 'saved-segments' });
  const json = h('pre', { class: 'rule-json', 'data-test': 'rule-json' });

  let timer = null;
  let generation = 0;
  const changed = () => {
    json.textContent = JSON.stringify(toRule(tree), null, 1);
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++generation;
      countBox.classList.add('busy');
      try {
        const preview = await api('/api/v1/segments/preview', { method: 'POST', query: { limit: 5 }, body: { rule: toRule(tree) } });
        if (mine !== generation) {
          return;
        }
        fill(countBox, h('span', { class: 'count', 'data-test': 'live-count-value' }, num(preview.count)), ' ', t('seg.matching'));
        fill(sampleBox, preview.sample.length ? `${t('seg.sample')}: ` : '', preview.sample.map((p, i) =>
          [i ? ', ' : '', h('a', { href: `#/customers/${p.customer_id}` }, p.name || `#${p.customer_id}`)]));
      } catch (error) {
        if (mine === generation) {
          clear(countBox).append(errorBox(error));
          clear(sampleBox);
        }
      } finally {
        countBox.classList.remove('busy');
      }
    }, 350);
  };
  const redraw = () => {
    clear(editor).append(groupView(tree, null, redraw, changed));
    changed();
  };

  const save = async (e) => {
    e.preventDefault();
    clear(saveResult);
    try {
      const segment = await api('/api/v1/segments', { method: 'POST', body: { name: nameInput.value.trim(), rule: toRule(tree) } });
      const { count } = await api(`/api/v1/segments/${segment.id}/count`);
      saveResult.append(h('p', { class: 'ok', 'data-test': 'saved-count' },
        t('seg.saved', { name: segment.name, id: segment.id }), ' ', h('strong', { 'data-test': 'saved-count-value' }, num(count)), ' ', t('seg.members')));
      await loadSaved(saved);
    } catch (error) {
      saveResult.append(errorBox(error));
    }
  };

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.segments'))),
    h('div', { class: 'cards' },
      h('section', { class: 'card wide' }, h('h2', {}, t('seg.builder')), editor,
        h('div', { class: 'builder-foot' }, countBox, sampleBox),
        h('form', { class: 'inline', onsubmit: save }, nameInput,
          h('button', { type: 'submit', class: 'primary', 'data-test': 'save-segment' }, t('seg.save'))),
        saveResult,
        h('details', {}, h('summary', {}, t('seg.json')), json)),
      card(t('seg.savedTitle'), saved)));
  redraw();
  await loadSaved(saved);
}

function groupView(node, parent, redraw, changed) {
  const mode = select({ class: 'mode', 'data-test': 'group-mode', onchange: (e) => { node.mode = e.target.value; changed(); } },
    [['all', t('seg.all')], ['any', t('seg.any')], ['not', t('seg.not')]], node.mode);
  return h('div', { class: `group group-${node.mode}`, 'data-test': 'group' },
    h('div', { class: 'group-head' }, mode,
      h('button', { type: 'button', class: 'link', 'data-test': 'add-condition', onclick: () => { node.children.push(leaf()); redraw(); } }, '+ ', t('seg.addCondition')),
      h('button', { type: 'button', class: 'link', 'data-test': 'add-group', onclick: () => { node.children.push(group('any', [leaf()])); redraw(); } }, '+ ', t('seg.addGroup')),
      parent ? h('button', { type: 'button', class: 'link danger', onclick: () => { parent.children.splice(parent.children.indexOf(node), 1); redraw(); } }, t('seg.removeGroup')) : null),
    node.children.map((child) => child.children ? groupView(child, node, redraw, changed) : leafView(child, node, redraw, changed)));
}

function leafView(node, parent, redraw, changed) {
  const [kind, ops] = FIELDS[node.field];
  const fieldSelect = select({ 'data-test': 'cond-field', onchange: (e) => {
    node.field = e.target.value;
    const allowed = FIELDS[node.field][1];
    if (!allowed.includes(node.op)) {
      node.op = allowed[0];
    }
    node.value = '';
    redraw();
  } }, Object.keys(FIELDS).map((f) => [f, label('field', f)]), node.field);
  const opSelect = select({ 'data-test': 'cond-op', onchange: (e) => { node.op = e.target.value; redraw(); } },
    ops.map((o) => [o, label('op', o)]), node.op);
  let valueInput;
  if (node.op === 'exists' || kind === 'boolean') {
    valueInput = select({ 'data-test': 'cond-value', onchange: (e) => { node.value = e.target.value; changed(); } },
      [['true', t('common.yes')], ['false', t('common.no')]], node.value || 'true');
    node.value = node.value || 'true';
  } else {
    const listId = SUGGESTIONS[node.field] ? `suggest-${node.field}` : null;
    valueInput = h('input', {
      'data-test': 'cond-value', value: node.value, list: listId,
      placeholder: ['in', 'not_in'].includes(node.op) ? t('seg.listHint') : node.op === 'between' ? t('seg.betweenHint')
        : ['within_last', 'before'].includes(node.op) ? t('seg.daysHint') : '',
      oninput: (e) => { node.value = e.target.value; changed(); },
    });
    if (listId) {
      valueInput = [valueInput, h('datalist', { id: listId }, SUGGESTIONS[node.field].map((v) => h('option', { value: v }, label(node.field === 'rfm_segment' ? 'rfm' : node.field === 'lifecycle_stage' ? 'lifecycle' : 'platform', v))))];
    }
  }
  return h('div', { class: 'condition', 'data-test': 'condition' }, fieldSelect, opSelect, valueInput,
    h('button', { type: 'button', class: 'link danger', title: t('seg.remove'), 'data-test': 'remove-condition',
      onclick: () => { parent.children.splice(parent.children.indexOf(node), 1); if (!parent.children.length) { parent.children.push(leaf()); } redraw(); } }, '✕'));
}

async function loadSaved(el) {
  try {
    const page = await api('/api/v1/segments', { query: { limit: 200 } });
    const counts = await Promise.all(page.items.map((s) => api(`/api/v1/segments/${s.id}/count`).then((c) => c.count, () => null)));
    clear(el).append(page.items.length ? table([
      [t('seg.name'), (s) => s.name], ['id', (s) => s.id], [t('seg.count'), (s) => num(counts[page.items.indexOf(s)])],
      [t('cust.created'), (s) => dateTime(s.created_at)],
    ], page.items) : h('p', { class: 'muted' }, t('seg.none')));
  } catch (error) {
    clear(el).append(errorBox(error instanceof ApiError ? error : String(error)));
  }
}
