// Customer list: search (name, phone, e-mail, external id) and filters, keyset pages → customer 360.
import { api } from '../api.js';
import { clear, errorBox, h, select, table } from '../dom.js';
import { dateTime, label } from '../format.js';
import { t } from '../i18n.js';

const PLATFORMS = ['taobao', 'tmall', 'jd', 'own_site', 'offline'];
let filters = { q: '', tag: '', province: '', city: '', platform: '' };

export async function render(main) {
  const field = (name, placeholder) => h('input', {
    name, value: filters[name], placeholder, 'aria-label': placeholder, 'data-test': `filter-${name}`,
  });
  const q = field('q', t('cust.searchHint'));
  const tag = field('tag', t('cust.tag'));
  const province = field('province', t('cust.province'));
  const city = field('city', t('cust.city'));
  const platform = select({ name: 'platform', 'data-test': 'filter-platform' },
    [['', t('cust.anyPlatform')], ...PLATFORMS.map((p) => [p, label('platform', p)])], filters.platform);
  const results = h('div', { 'data-test': 'customer-results' });
  const form = h('form', {
    class: 'filters', role: 'search',
    onsubmit: (e) => {
      e.preventDefault();
      filters = { q: q.value.trim(), tag: tag.value.trim(), province: province.value.trim(), city: city.value.trim(), platform: platform.value };
      load(results, null, true);
    },
  }, q, tag, province, city, platform, h('button', { type: 'submit', class: 'primary', 'data-test': 'search' }, t('cust.search')));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.customers'))), form, results);
  await load(results, null, true);
}

async function load(results, cursor, fresh) {
  let page;
  try {
    page = await api('/api/v1/customers', { query: { ...filters, limit: 50, cursor } });
  } catch (error) {
    clear(results).append(errorBox(error));
    return;
  }
  if (fresh) {
    clear(results);
  }
  results.querySelector('.more')?.remove();
  if (fresh && page.items.length === 0) {
    results.append(h('p', { class: 'muted', 'data-test': 'no-customers' }, t('cust.none')));
    return;
  }
  results.append(table([
    [t('cust.name'), (c) => h('a', { href: `#/customers/${c.id}`, 'data-test': 'customer-link' }, c.name || `#${c.id}`)],
    [t('cust.externalId'), (c) => c.external_id || '—'],
    [t('cust.phone'), (c) => c.phone || '—'],
    [t('cust.region'), (c) => [c.province, c.city].filter(Boolean).join(' ') || '—'],
    [t('cust.platform'), (c) => label('platform', c.platform)],
    [t('cust.tags'), (c) => (c.tags || []).map((x) => h('span', { class: 'tag' }, x))],
    [t('cust.created'), (c) => dateTime(c.created_at)],
  ], page.items));
  if (page.next_cursor) {
    results.append(h('button', { class: 'more', onclick: () => load(results, page.next_cursor, false) }, t('common.more')));
  }
}
