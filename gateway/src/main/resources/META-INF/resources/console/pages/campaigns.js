// Campaigns: the list (with status and a link to each report), and creating one over a saved segment
// with A/B variants, a control group and an optional coupon; launching a draft.
import { api } from '../api.js';
import { card, clear, errorBox, h, select, table } from '../dom.js';
import { dateTime, label } from '../format.js';
import { t } from '../i18n.js';

export async function render(main) {
  const list = h('div', { 'data-test': 'campaign-list' });
  const [segments] = await Promise.all([api('/api/v1/segments', { query: { limit: 1000 } }), loadList(list)]);
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.campaigns'))),
    h('div', { class: 'cards' }, card(t('camp.list'), list), createForm(segments.items, list)));
}

async function loadList(el) {
  try {
    const page = await api('/api/v1/campaigns', { query: { limit: 1000 } });
    const items = [...page.items].reverse();
    clear(el).append(items.length ? table([
      [t('camp.name'), (c) => h('a', { href: `#/campaigns/${c.id}` }, c.name)],
      [t('c360.status'), (c) => h('span', { class: `status status-${c.status}` }, label('campaignStatus', c.status))],
      [t('camp.channels'), (c) => c.channels.map((ch) => label('channel', ch)).join(', ')],
      [t('camp.variants'), (c) => c.variants.map((v) => v.name).join(' / ')],
      [t('camp.controlPct'), (c) => `${c.control_pct}%`],
      [t('camp.launchedAt'), (c) => dateTime(c.launched_at)],
      ['', (c) => c.status === 'draft' ? h('button', { class: 'small', onclick: async (e) => {
        e.target.disabled = true;
        try {
          await api(`/api/v1/campaigns/${c.id}/launch`, { method: 'POST' });
          window.location.hash = `#/campaigns/${c.id}`;
        } catch (error) {
          e.target.after(errorBox(error));
        }
      } }, t('camp.launch')) : ''],
    ], items) : h('p', { class: 'muted' }, t('camp.none')));
  } catch (error) {
    clear(el).append(errorBox(error));
  }
}

function createForm(segments, list) {
  const field = (name, input, hint) => h('label', { class: 'field' }, h('span', {}, t(name)), input, hint ? h('small', { class: 'muted' }, hint) : null);
  const name = h('input', { required: true, 'data-test': 'campaign-name' });
  const segment = select({ required: true, 'data-test': 'campaign-segment' }, segments.map((s) => [s.id, `${s.name} (#${s.id})`]));
  const channels = ['sms', 'email', 'app'].map((ch) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: ch, checked: ch === 'sms' }), label('channel', ch)));
  const variantA = h('textarea', { rows: 2, 'data-test': 'variant-a' }, t('camp.defaultMessageA'));
  const variantB = h('textarea', { rows: 2, 'data-test': 'variant-b' }, t('camp.defaultMessageB'));
  const control = h('input', { type: 'number', min: 0, max: 50, value: 20 });
  const windowDays = h('input', { type: 'number', min: 1, max: 365, value: 30 });
  const couponAmount = h('input', { type: 'number', min: 0, step: '0.01', value: '10' });
  const minSpend = h('input', { type: 'number', min: 0, step: '0.01', value: '50' });
  const smsCost = h('input', { type: 'number', min: 0, step: '0.001', value: '0.05' });
  const result = h('div');
  const form = h('form', {
    class: 'card stack', 'data-test': 'campaign-form',
    onsubmit: async (e) => {
      e.preventDefault();
      clear(result);
      const chosen = channels.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      const message = (text) => Object.fromEntries(chosen.flatMap((ch) => ch === 'email'
        ? [['email_subject', name.value.trim()], ['email_body', text]] : [[ch, text]]));
      const variants = [{ name: 'a', weight: 1, message: message(variantA.value) }];
      if (variantB.value.trim()) {
        variants.push({ name: 'b', weight: 1, message: message(variantB.value) });
      }
      const body = {
        name: name.value.trim(), goal: 'repurchase', segment_id: Number(segment.value), channels: chosen, variants,
        control_pct: Number(control.value), attribution_window_days: Number(windowDays.value),
        cost_per_message: Object.fromEntries(chosen.map((ch) => [ch, ch === 'sms' ? Number(smsCost.value || 0) : 0])),
      };
      if (couponAmount.value) {
        body.offer = { type: 'coupon', amount: Number(couponAmount.value), ...(minSpend.value ? { min_spend: Number(minSpend.value) } : {}) };
      }
      try {
        const created = await api('/api/v1/campaigns', { method: 'POST', body });
        result.append(h('p', { class: 'ok' }, t('camp.created', { id: created.id })));
        await loadList(list);
      } catch (error) {
        result.append(errorBox(error));
      }
    },
  },
  h('h2', {}, t('camp.new')),
  field('camp.name', name), field('camp.segment', segment),
  h('div', { class: 'field' }, h('span', {}, t('camp.channels')), h('div', {}, channels)),
  field('camp.variantA', variantA, t('camp.placeholders')), field('camp.variantB', variantB),
  h('div', { class: 'row' }, field('camp.controlPct', control), field('camp.window', windowDays)),
  h('div', { class: 'row' }, field('camp.coupon', couponAmount), field('camp.minSpend', minSpend), field('camp.smsCost', smsCost)),
  h('button', { type: 'submit', class: 'primary', 'data-test': 'create-campaign' }, t('camp.create')),
  result);
  return form;
}
