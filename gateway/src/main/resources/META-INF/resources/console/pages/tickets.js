// Ticket queue: newest first, filtered by status, priority and SLA breach; each row links to its customer's 360.
import { api } from '../api.js';
import { clear, errorBox, h, select, table } from '../dom.js';
import { dateTime, label } from '../format.js';
import { t } from '../i18n.js';

const STATUSES = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
let filters = { status: '', priority: '', breached: '' };

export async function render(main) {
  const status = select({ 'data-test': 'ticket-status' }, [['', t('tickets.anyStatus')], ...STATUSES.map((s) => [s, label('ticketStatus', s)])], filters.status);
  const priority = select({}, [['', t('tickets.anyPriority')], ...PRIORITIES.map((p) => [p, label('priority', p)])], filters.priority);
  const breached = select({}, [['', t('tickets.anySla')], ['true', t('tickets.breached')], ['false', t('tickets.withinSla')]], filters.breached);
  const results = h('div', { 'data-test': 'ticket-results' });
  const apply = () => {
    filters = { status: status.value, priority: priority.value, breached: breached.value };
    load(results, null, true);
  };
  [status, priority, breached].forEach((s) => s.addEventListener('change', apply));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.tickets'))), h('div', { class: 'filters' }, status, priority, breached), results);
  await load(results, null, true);
}

async function load(results, cursor, fresh) {
  let page;
  try {
    page = await api('/api/v1/customers/tickets', { query: { ...filters, limit: 50, cursor } });
  } catch (error) {
    clear(results).append(errorBox(error));
    return;
  }
  if (fresh) {
    clear(results);
  }
  results.querySelector('.more')?.remove();
  if (fresh && !page.items.length) {
    results.append(h('p', { class: 'muted' }, t('tickets.none')));
    return;
  }
  results.append(table([
    ['#', (x) => x.id],
    [t('tickets.subject'), (x) => x.subject],
    [t('tickets.customer'), (x) => h('a', { href: `#/customers/${x.customer_id}` }, `#${x.customer_id}`)],
    [t('tickets.category'), (x) => (x.categories || []).map((c) => label('category', c)).join(', ')],
    [t('tickets.priority'), (x) => h('span', { class: `prio prio-${x.priority}` }, label('priority', x.priority))],
    [t('c360.status'), (x) => label('ticketStatus', x.status)],
    [t('tickets.assignee'), (x) => x.assignee || '—'],
    [t('tickets.due'), (x) => h('span', { class: x.breached ? 'bad' : '' }, dateTime(x.resolution_due), x.breached ? ` · ${t('tickets.breached')}` : '')],
    [t('cust.created'), (x) => dateTime(x.created_at)],
  ], page.items, { 'data-test': 'tickets' }));
  if (page.next_cursor) {
    results.append(h('button', { class: 'more', onclick: () => load(results, page.next_cursor, false) }, t('common.more')));
  }
}
