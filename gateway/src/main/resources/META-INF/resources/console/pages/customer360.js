// Customer 360: profile, tags, consent, scores (P(alive), CLV), points and tier, orders, tickets, recommendations
// and one timeline of events, orders, tickets and consent changes. Every part is its own call; one failing
// (or a role not allowed to read it) leaves the others shown.
import { api, apiOrNull } from '../api.js';
import { chart } from '../charts.js';
import { card, errorBox, h, table } from '../dom.js';
import { date, dateTime, label, money, num, pct } from '../format.js';
import { t } from '../i18n.js';

export async function render(main, id) {
  const [customer, consent, membership, ledger, events, orders, score, tickets, recommendations] = await Promise.allSettled([
    api(`/api/v1/customers/${id}`),
    api(`/api/v1/customers/${id}/consent`),
    api(`/api/v1/customers/${id}/membership`),
    api(`/api/v1/customers/${id}/points`, { query: { limit: 20 } }),
    api(`/api/v1/customers/${id}/events`, { query: { limit: 100 } }),
    api('/api/v1/orders', { query: { customer_id: id, limit: 200 } }),
    apiOrNull(`/api/v1/scores/${id}`),
    api('/api/v1/customers/tickets', { query: { customer_id: id, limit: 50 } }),
    apiOrNull(`/api/v1/recommendations/${id}`, { query: { limit: 5 } }),
  ]);
  if (customer.status === 'rejected') {
    main.append(h('p', {}, h('a', { href: '#/customers' }, '← ', t('nav.customers'))), errorBox(customer.reason));
    return;
  }
  const c = customer.value;
  main.append(h('div', { class: 'page-head' },
    h('div', {}, h('a', { href: '#/customers', class: 'small' }, '← ', t('nav.customers')),
      h('h1', { 'data-test': 'customer-name' }, c.name || `#${c.id}`)),
    h('div', { class: 'tags' }, (c.tags || []).map((x) => h('span', { class: 'tag', 'data-test': 'customer-tag' }, x)))));

  const grid = h('div', { class: 'cards' });
  main.append(grid);
  const section = (title, settled, body, attrs = {}) => {
    const content = settled.status === 'rejected' ? errorBox(settled.reason) : body(settled.value);
    const el = card(title, content);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
    grid.append(el);
    return el;
  };

  section(t('c360.profile'), customer, () => dl([
    [t('cust.externalId'), c.external_id], [t('cust.platform'), label('platform', c.platform)],
    [t('cust.phone'), c.phone], [t('cust.email'), c.email], [t('c360.gender'), label('gender', c.gender)],
    [t('c360.birthday'), c.birthday], [t('cust.region'), [c.province, c.city].filter(Boolean).join(' ')],
    [t('c360.ageBand'), c.age_band], [t('cust.created'), dateTime(c.created_at)],
    [t('c360.identities'), (c.identities || []).map((i) => `${label('platform', i.platform)}:${i.external_id}`).join(', ')],
  ]), { 'data-test': 'profile' });

  section(t('c360.scores'), score, (s) => s ? h('div', {},
    dl([
      [t('c360.rfmSegment'), label('rfm', s.rfm_segment)], [t('c360.rfmScores'), `R${s.r_score ?? '—'} F${s.f_score ?? '—'} M${s.m_score ?? '—'}`],
      [t('c360.lifecycle'), label('lifecycle', s.lifecycle_stage)],
      [t('c360.pAlive'), h('span', { 'data-test': 'p-alive' }, pct(s.p_alive))],
      [t('c360.clv'), h('span', { 'data-test': 'clv' }, money(s.predicted_clv_365d))],
      [t('c360.expected90'), num(s.expected_purchases_90d, 2)], [t('c360.nextOrder'), date(s.expected_next_order_date)],
      [t('c360.historical'), money(s.historical_value)], [t('c360.frequency'), num(s.frequency)],
      [t('c360.recency'), `${num(s.recency_days)} ${t('common.days')}`], [t('c360.asOf'), date(s.as_of)],
    ]),
    h('div', { class: 'chart small-chart', 'data-chart': 'p-alive' })) : h('p', { class: 'muted' }, t('c360.notScored')),
  { 'data-test': 'scores' });
  if (score.status === 'fulfilled' && score.value && score.value.p_alive !== null) {
    const el = grid.querySelector('[data-chart="p-alive"]');
    chart('p-alive', el, {
      series: [{
        type: 'gauge', name: t('c360.pAlive'), min: 0, max: 100, radius: '95%', center: ['50%', '60%'],
        startAngle: 200, endAngle: -20, progress: { show: true, width: 10 }, axisLine: { lineStyle: { width: 10 } },
        axisLabel: { show: false }, splitLine: { show: false }, axisTick: { show: false }, pointer: { show: false },
        detail: { valueAnimation: false, formatter: '{value}%', fontSize: 18, offsetCenter: [0, '10%'] },
        title: { offsetCenter: [0, '45%'], fontSize: 12 },
        data: [{ value: Math.round(score.value.p_alive * 1000) / 10, name: 'P(alive)' }],
      }],
    });
  }

  section(t('c360.membership'), membership, (m) => h('div', {},
    dl([
      [t('c360.tier'), h('span', { 'data-test': 'tier' }, m.tier_name || m.tier)],
      [t('c360.points'), h('span', { 'data-test': 'points' }, num(m.points_balance))],
      [t('c360.rollingSpend'), `${money(m.rolling_spend)} / ${m.period_days} ${t('common.days')}`],
      [t('c360.nextTier'), m.next_tier ? `${m.next_tier} (${money(m.spend_to_next_tier)})` : '—'],
      [t('c360.lifetimeSpend'), money(m.lifetime_spend)],
    ]),
    ledger.status === 'fulfilled' && ledger.value.items.length ? table([
      [t('common.time'), (e) => dateTime(e.occurred_at)], [t('c360.points'), (e) => num(e.points)],
      [t('c360.kind'), (e) => label('ledger', e.kind)], [t('c360.reason'), (e) => e.reason || e.source || '—'],
    ], ledger.value.items, { class: 'grid compact' }) : null));

  section(t('c360.consent'), consent, (s) => h('div', {},
    h('p', { class: 'small muted' }, t('c360.consentModel'), ': ', s.consent_model),
    table([
      [t('c360.channel'), (ch) => label('channel', ch.channel)],
      [t('c360.granted'), (ch) => ch.granted === null ? t('c360.noDecision') : ch.granted ? t('common.yes') : t('common.no')],
      [t('c360.contactable'), (ch) => h('span', { class: ch.contactable ? 'ok' : 'bad' }, ch.contactable ? t('common.yes') : t('common.no'))],
      [t('c360.source'), (ch) => ch.source || '—'],
    ], s.channels, { class: 'grid compact', 'data-test': 'consent' })));

  const orderList = orders.status === 'fulfilled' ? [...orders.value.items].reverse() : [];
  const ordersCard = section(t('c360.orders'), orders, () => orderList.length ? table([
    [t('c360.orderNo'), (o) => o.order_no], [t('common.time'), (o) => dateTime(o.ordered_at)],
    [t('c360.amount'), (o) => money(o.total_amount)], [t('c360.status'), (o) => label('orderStatus', o.status)],
    [t('c360.items'), (o) => (o.items || []).map((i) => `${i.product_name || i.sku}×${i.quantity}`).join(', ')],
    [t('c360.coupon'), (o) => o.coupon_code || ''],
  ], orderList, { 'data-test': 'orders' }) : h('p', { class: 'muted' }, t('c360.noOrders')));
  ordersCard.classList.add('wide');

  const ticketsCard = section(t('nav.tickets'), tickets, (page) => page.items.length ? table([
    [t('tickets.subject'), (x) => x.subject], [t('c360.status'), (x) => label('ticketStatus', x.status)],
    [t('tickets.priority'), (x) => label('priority', x.priority)],
    [t('tickets.due'), (x) => h('span', { class: x.breached ? 'bad' : '' }, dateTime(x.resolution_due))],
  ], page.items, { class: 'grid compact' }) : h('p', { class: 'muted' }, t('tickets.none')));
  ticketsCard.setAttribute('data-test', 'tickets');

  section(t('c360.recommendations'), recommendations, (r) => r && r.items.length
    ? h('ol', {}, r.items.map((i) => h('li', {}, i.product_name || i.sku, h('span', { class: 'muted small' }, ` ${i.reason || ''}`))))
    : h('p', { class: 'muted' }, t('c360.noRecommendations')));

  // one timeline, newest first
  const timeline = [];
  if (events.status === 'fulfilled') {
    events.value.items.forEach((e) => timeline.push({ at: e.occurred_at, kind: 'event', text: label('event', e.type),
      detail: e.properties && Object.keys(e.properties).length ? JSON.stringify(e.properties) : '' }));
  }
  orderList.forEach((o) => timeline.push({ at: o.ordered_at, kind: 'order', text: `${t('c360.order')} ${o.order_no}`,
    detail: `${money(o.total_amount)} · ${label('orderStatus', o.status)}` }));
  if (tickets.status === 'fulfilled') {
    tickets.value.items.forEach((x) => timeline.push({ at: x.created_at, kind: 'ticket', text: `${t('c360.ticket')} #${x.id}`, detail: x.subject }));
  }
  if (consent.status === 'fulfilled') {
    (consent.value.history || []).forEach((ch) => timeline.push({ at: ch.recorded_at, kind: 'consent',
      text: `${label('channel', ch.channel)}: ${ch.granted ? t('c360.optIn') : t('c360.optOut')}`, detail: ch.source || '' }));
  }
  timeline.sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const timelineCard = card(t('c360.timeline'), timeline.length ? h('ul', { class: 'timeline', 'data-test': 'timeline' },
    timeline.map((e) => h('li', { class: `tl-${e.kind}` }, h('time', {}, dateTime(e.at)), h('strong', {}, e.text), ' ',
      h('span', { class: 'muted' }, e.detail)))) : h('p', { class: 'muted' }, t('c360.noEvents')),
  events.status === 'rejected' ? errorBox(events.reason) : null);
  timelineCard.classList.add('wide');
  grid.append(timelineCard);

  const history = card(t('c360.campaignHistory'), h('p', { class: 'muted small' }, t('c360.campaignHistoryNote')));
  grid.append(history);
}

function dl(rows) {
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}
