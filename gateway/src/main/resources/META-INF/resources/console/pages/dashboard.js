// Dashboard: KPI cards and six charts, each fed by one public endpoint (docs/CONSOLE.md lists them).
import { api } from '../api.js';
import { chart } from '../charts.js';
import { card, clear, errorBox, h, select } from '../dom.js';
import { daysAgo, isoDate, label, money, num, pct, SHOP_ZONE } from '../format.js';
import { getLang, t } from '../i18n.js';

export const LIFECYCLE = ['prospect', 'new', 'active', 'at_risk', 'churned'];
/** Every profile of the audience read model: a condition and its exact complement. */
const EVERYONE = { any: [{ field: 'created_at', op: 'exists', value: true }, { field: 'created_at', op: 'exists', value: false }] };
let periodDays = 365;

export async function render(main) {
  const periodSelect = select({ 'data-test': 'period', onchange: (e) => { periodDays = Number(e.target.value); render(clear(main)); } },
    [[90, t('dash.period90')], [180, t('dash.period180')], [365, t('dash.period365')]], periodDays);
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.dashboard')), h('label', {}, t('dash.period'), ' ', periodSelect)));

  const from = isoDate(daysAgo(periodDays - 1));
  const to = isoDate(new Date());
  const granularity = periodDays > 180 ? 'month' : 'week';

  const kpis = h('div', { class: 'kpis', 'data-test': 'kpis' });
  main.append(kpis);
  const grid = h('div', { class: 'cards' });
  main.append(grid);
  const place = (name, title, wide, tall) => {
    const el = h('div', { class: tall ? 'chart tall' : 'chart', 'data-chart': name });
    const c = card(title, el);
    if (wide) {
      c.classList.add('wide');
    }
    grid.append(c);
    return el;
  };
  const trendEl = place('revenue-trend', t('dash.revenueTrend'), true);
  const rfmEl = place('rfm-distribution', t('dash.rfm'), true);
  const lifecycleEl = place('lifecycle-funnel', t('dash.lifecycle'));
  const clvEl = place('clv-histogram', t('dash.clv'));
  const cohortEl = place('cohort-retention', t('dash.cohorts'), true, true);
  const campaignEl = place('campaign-results', t('dash.campaigns'), true);

  const [sales, retention, audience, rfm, lifecycle, clv, cohorts, campaigns] = await Promise.allSettled([
    api('/api/v1/analytics/sales', { query: { from, to, granularity, tz: SHOP_ZONE } }),
    api('/api/v1/kpis/retention', { query: { from, to } }),
    previewCount(EVERYONE),
    api('/api/v1/kpis/rfm-distribution'),
    Promise.all(LIFECYCLE.map((stage) => previewCount(stageRule(stage)))),
    api('/api/v1/kpis/clv-distribution', { query: { buckets: 10 } }),
    api('/api/v1/kpis/cohorts', { query: { months: 12 } }),
    recentCampaignReports(6),
  ]);

  const totals = sales.value?.totals;
  const kpi = (name, title, value, hint) => h('div', { class: 'kpi', 'data-kpi': name },
    h('div', { class: 'kpi-title' }, title), h('div', { class: 'kpi-value' }, value), hint ? h('div', { class: 'kpi-hint' }, hint) : null);
  kpis.append(
    kpi('customers', t('kpi.customers'), audience.status === 'fulfilled' ? num(audience.value) : '—'),
    kpi('buyers', t('kpi.buyers'), num(totals?.buyers), totals ? `${t('kpi.new')} ${num(totals.new_buyers)}` : null),
    kpi('revenue', t('kpi.revenue'), money(totals?.revenue), totals ? `${num(totals.orders)} ${t('kpi.orders')}` : null),
    kpi('aov', t('kpi.aov'), money(totals?.aov)),
    kpi('repurchase', t('kpi.repurchase'), pct(totals?.repurchase_rate)),
    kpi('churn', t('kpi.churn'), pct(retention.value?.churn_rate),
      retention.value ? `${t('kpi.retention')} ${pct(retention.value.retention_rate)}` : null));
  for (const r of [sales, retention, audience]) {
    if (r.status === 'rejected') {
      kpis.append(errorBox(r.reason));
    }
  }

  draw(trendEl, sales, (report) => chart('revenue-trend', trendEl, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('kpi.revenue'), t('kpi.orders')] },
    grid: { top: 50, left: 70, right: 50, bottom: 30 },
    xAxis: { type: 'category', data: report.buckets.map((b) => b.start) },
    yAxis: [{ type: 'value', name: '¥' }, { type: 'value', name: t('kpi.orders'), splitLine: { show: false } }],
    series: [
      { name: t('kpi.revenue'), type: 'bar', data: report.buckets.map((b) => Number(b.metrics.revenue)) },
      { name: t('kpi.orders'), type: 'line', yAxisIndex: 1, smooth: true, data: report.buckets.map((b) => b.metrics.orders) },
    ],
  }));

  draw(rfmEl, rfm, (d) => {
    const names = d.segments.map((s) => (getLang() === 'zh-CN' ? s.label_zh : s.label_en));
    chart('rfm-distribution', rfmEl, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('dash.rfmCustomers'), t('dash.rfmRevenueShare')] },
      grid: { top: 50, left: 60, right: 60, bottom: 70 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 25 } },
      yAxis: [{ type: 'value', name: t('dash.rfmCustomers') }, { type: 'value', name: '%', max: 100, splitLine: { show: false } }],
      series: [
        { name: t('dash.rfmCustomers'), type: 'bar', data: d.segments.map((s) => s.customers) },
        { name: t('dash.rfmRevenueShare'), type: 'line', yAxisIndex: 1,
          data: d.segments.map((s) => Math.round(s.revenue_share * 1000) / 10) },
      ],
    });
  });

  draw(lifecycleEl, lifecycle, (counts) => chart('lifecycle-funnel', lifecycleEl, {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [{
      name: t('dash.lifecycle'), type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '12%',
      label: { formatter: '{b}: {c}' },
      data: LIFECYCLE.map((stage, i) => ({ name: label('lifecycle', stage), value: counts[i] })),
    }],
  }));

  draw(clvEl, clv, (d) => chart('clv-histogram', clvEl, {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, bottom: 60 },
    xAxis: { type: 'category', name: '¥', data: d.buckets.map((b) => `${num(b.from)}–${num(b.to)}`), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: t('dash.rfmCustomers') },
    series: [{ name: t('dash.rfmCustomers'), type: 'bar', barCategoryGap: '5%', data: d.buckets.map((b) => b.customers) }],
  }));

  draw(cohortEl, cohorts, (d) => {
    const rows = d.cohorts;
    const months = Math.max(0, ...rows.map((c) => c.retention.length));
    const data = [];
    const [nowYear, nowMonth] = isoDate(new Date()).split('-').map(Number);
    const thisMonth = nowYear * 12 + nowMonth - 1;
    // a cohort's months that have not happened yet are left empty, not shown as 0%
    const reached = (cohort, x) => {
      const [year, month] = cohort.split('-').map(Number);
      return year * 12 + month - 1 + x <= thisMonth;
    };
    rows.forEach((c, y) => c.retention.forEach((r, x) => {
      if (r !== null && r !== undefined && reached(c.cohort, x)) {
        data.push([x, y, Math.round(r * 1000) / 10]);
      }
    }));
    chart('cohort-retention', cohortEl, {
      tooltip: { formatter: (p) => `${rows[p.value[1]].cohort} +${p.value[0]}: ${p.value[2]}%` },
      grid: { left: 80, right: 20, bottom: 100 },
      xAxis: { type: 'category', name: t('dash.monthsSince'), data: [...Array(months).keys()].map(String) },
      yAxis: { type: 'category', data: rows.map((c) => `${c.cohort} (${c.customers})`), inverse: true },
      visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120,
        inRange: { color: ['#f0f4fa', '#2f6fdf'] } },
      series: [{ name: t('dash.cohorts'), type: 'heatmap', data, label: { show: true, formatter: (p) => `${p.value[2]}` } }],
    });
  });

  draw(campaignEl, campaigns, (list) => {
    if (list.length === 0) {
      campaignEl.replaceWith(h('p', { class: 'muted' }, t('dash.noCampaigns')));
      return;
    }
    const treated = (r) => {
      const recipients = r.arms.reduce((s, a) => s + a.recipients, 0);
      return recipients ? r.arms.reduce((s, a) => s + a.conversions, 0) / recipients : 0;
    };
    chart('campaign-results', campaignEl, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
      legend: { top: 0, data: [t('camp.treatment'), t('camp.control')] },
      grid: { top: 50, left: 50, right: 20, bottom: 30 },
      xAxis: { type: 'category', data: list.map(({ campaign }) => campaign.name) },
      yAxis: { type: 'value', name: t('camp.conversionRate') + ' %' },
      series: [
        { name: t('camp.treatment'), type: 'bar', data: list.map(({ report }) => Math.round(treated(report) * 1000) / 10) },
        { name: t('camp.control'), type: 'bar', data: list.map(({ report }) => Math.round(report.control.conversion_rate * 1000) / 10) },
      ],
    });
    campaignEl.after(h('p', { class: 'small muted' }, list.map(({ campaign, report }) => h('span', { class: 'pill' },
      h('a', { href: `#/campaigns/${campaign.id}` }, campaign.name), ': ',
      `${t('camp.uplift')} ${pct(report.uplift)}, p=${report.p_value === null ? '—' : num(report.p_value, 3)}`))));
  });
}

/** Draws with the answer, or shows the endpoint's error in the chart's place. */
function draw(el, settled, fn) {
  if (settled.status === 'rejected') {
    el.replaceWith(errorBox(settled.reason));
    return;
  }
  fn(settled.value);
}

/**
 * The rule for one lifecycle stage. Customers who never bought have no score, so no stage in the read
 * model: they are the prospects, with any that scoring-service itself calls prospect.
 */
function stageRule(stage) {
  const eq = { field: 'lifecycle_stage', op: 'eq', value: stage };
  return stage === 'prospect' ? { any: [eq, { field: 'lifecycle_stage', op: 'exists', value: false }] } : eq;
}

/** {count} of a rule over the audience read model (POST /segments/preview, nothing saved). */
export async function previewCount(rule) {
  const preview = await api('/api/v1/segments/preview', { method: 'POST', query: { limit: 1 }, body: { rule } });
  return preview.count;
}

/** The newest launched campaigns with their reports. */
async function recentCampaignReports(n) {
  const page = await api('/api/v1/campaigns', { query: { limit: 1000 } });
  const launched = page.items.filter((c) => c.status === 'launched').slice(-n);
  const reports = await Promise.all(launched.map((c) => api(`/api/v1/campaigns/${c.id}/report`)));
  return launched.map((campaign, i) => ({ campaign, report: reports[i] }));
}
