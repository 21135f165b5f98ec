// One campaign's report: funnel (audience → kept → sent → converted), conversion per arm against the control,
// uplift with its 95% interval and p-value, coupons, revenue, cost and ROI.
import { api } from '../api.js';
import { chart } from '../charts.js';
import { card, h, table } from '../dom.js';
import { label, money, num, pct } from '../format.js';
import { t } from '../i18n.js';

export async function render(main, id) {
  const [campaign, report] = await Promise.all([api(`/api/v1/campaigns/${id}`), api(`/api/v1/campaigns/${id}/report`)]);
  // consent and the frequency cap drop members; quiet hours only delay their messages (they stay recipients)
  const dropped = report.suppressed.consent + report.suppressed.frequency_cap;
  const recipients = report.arms.reduce((s, a) => s + a.recipients, 0);
  const sent = report.arms.reduce((s, a) => s + a.sent, 0);
  const conversions = report.arms.reduce((s, a) => s + a.conversions, 0);
  const significant = report.p_value !== null && report.p_value < 0.05;

  main.append(h('div', { class: 'page-head' },
    h('div', {}, h('a', { href: '#/campaigns', class: 'small' }, '← ', t('nav.campaigns')), h('h1', {}, campaign.name)),
    h('span', { class: `status status-${campaign.status}` }, label('campaignStatus', campaign.status))));

  const stat = (title, value, attrs = {}) => h('div', { class: 'kpi', ...attrs }, h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value));
  main.append(h('div', { class: 'kpis' },
    stat(t('camp.audience'), num(report.audience)),
    stat(t('camp.uplift'), pct(report.uplift, 2), { 'data-test': 'uplift' }),
    stat('p-value', report.p_value === null ? '—' : num(report.p_value, 4), { 'data-test': 'p-value' }),
    stat(t('camp.interval'), report.uplift95 ? `${pct(report.uplift95.low, 1)} … ${pct(report.uplift95.high, 1)}` : '—'),
    stat(t('kpi.revenue'), money(report.revenue)),
    stat('ROI', report.roi === null ? '—' : pct(report.roi, 0))));
  main.append(h('p', { class: significant ? 'ok' : 'muted', 'data-test': 'significance' },
    report.p_value === null ? t('camp.noControl')
      : significant ? t('camp.significant', { arm: report.best_arm, winner: report.winner ?? '—' }) : t('camp.notSignificant')));

  const funnelEl = h('div', { class: 'chart', 'data-chart': 'campaign-funnel' });
  const armsEl = h('div', { class: 'chart', 'data-chart': 'campaign-arms' });
  const arms = [...report.arms.map((a) => ({ ...a, label: `${t('camp.arm')} ${a.name}` })),
    { ...report.control, name: 'control', label: t('camp.control'), sent: 0, revenue_per_recipient: null }];
  main.append(h('div', { class: 'cards' },
    card(t('camp.funnel'), funnelEl), card(t('camp.perArm'), armsEl),
    (() => {
      const c = card(t('camp.arms'), table([
        [t('camp.arm'), (a) => a.label], [t('camp.recipients'), (a) => num(a.recipients)], [t('camp.sent'), (a) => num(a.sent)],
        [t('camp.conversions'), (a) => num(a.conversions)], [t('camp.conversionRate'), (a) => pct(a.conversion_rate, 2)],
        [t('kpi.revenue'), (a) => money(a.revenue)],
      ], arms, { 'data-test': 'arms' }),
      h('p', { class: 'small muted' }, `${t('camp.suppressed')}: ${t('camp.byConsent')} ${num(report.suppressed.consent)}, `
        + `${t('camp.byCap')} ${num(report.suppressed.frequency_cap)}, ${t('camp.byQuiet')} ${num(report.suppressed.quiet_hours)} · `
        + `${t('camp.coupons')}: ${num(report.coupons.issued)} / ${num(report.coupons.redeemed)} (${money(report.coupons.redeemed_value)}) · `
        + `${t('camp.cost')} ${money(report.cost)}`));
      c.classList.add('wide');
      return c;
    })()));

  chart('campaign-funnel', funnelEl, {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [{
      type: 'funnel', name: t('camp.funnel'), sort: 'none', left: '10%', width: '80%', minSize: '10%', label: { formatter: '{b}: {c}' },
      data: [
        { name: t('camp.audience'), value: report.audience },
        { name: t('camp.kept'), value: report.audience - dropped },
        { name: t('camp.treatedRecipients'), value: recipients },
        { name: t('camp.sent'), value: sent },
        { name: t('camp.conversions'), value: conversions },
      ],
    }],
  });
  chart('campaign-arms', armsEl, {
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    grid: { left: 50, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: arms.map((a) => a.label) },
    yAxis: { type: 'value', name: '%' },
    series: [{
      type: 'bar', name: t('camp.conversionRate'),
      data: arms.map((a) => ({ value: Math.round(a.conversion_rate * 10000) / 100, itemStyle: a.name === 'control' ? { color: '#9aa5b1' } : undefined })),
      label: { show: true, position: 'top', formatter: '{c}%' },
    }],
  });
}
