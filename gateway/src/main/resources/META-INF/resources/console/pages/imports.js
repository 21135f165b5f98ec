// Order import: upload a CSV (POST /orders/imports, the file as the raw body), then poll the job for its progress
// and its error report. Large files stream through the gateway; the browser sends the File as it is.
import { api } from '../api.js';
import { card, clear, errorBox, fill, h, select, table } from '../dom.js';
import { num } from '../format.js';
import { t } from '../i18n.js';

const POLL_MS = 500;

export async function render(main) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', required: true, 'data-test': 'import-file' });
  const format = select({ 'data-test': 'import-format' }, [['generic', t('imp.generic')], ['taobao', t('imp.taobao')]], 'generic');
  const job = h('div', { 'data-test': 'import-job' });
  const form = h('form', {
    class: 'card stack', 'data-test': 'import-form',
    onsubmit: async (e) => {
      e.preventDefault();
      clear(job);
      const chosen = file.files[0];
      if (!chosen) {
        return;
      }
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        const accepted = await api('/api/v1/orders/imports', { method: 'POST', query: { format: format.value }, body: chosen, contentType: 'text/csv' });
        await follow(job, accepted.id);
      } catch (error) {
        job.append(errorBox(error));
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h2', {}, t('imp.upload')),
  h('label', { class: 'field' }, h('span', {}, t('imp.file')), file),
  h('label', { class: 'field' }, h('span', {}, t('imp.format')), format),
  h('p', { class: 'small muted' }, t('imp.help')),
  h('button', { type: 'submit', class: 'primary', 'data-test': 'import-submit' }, t('imp.start')));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.imports'))), h('div', { class: 'cards' }, form, card(t('imp.job'), job)));
}

async function follow(el, id) {
  for (;;) {
    const j = await api(`/api/v1/orders/imports/${id}`);
    show(el, j);
    if (j.status === 'completed' || j.status === 'failed') {
      return j;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function show(el, j) {
  const done = j.status === 'completed' || j.status === 'failed';
  const fraction = done ? 1 : j.bytes_total > 0 ? j.bytes_read / j.bytes_total : 0;
  fill(el,
    h('p', {}, t('imp.status'), ': ', h('strong', { 'data-test': 'import-status', class: j.status === 'failed' ? 'bad' : j.status === 'completed' ? 'ok' : '' }, t(`imp.${j.status}`)),
      h('span', { class: 'muted small' }, ` · ${j.id}`)),
    h('progress', { max: 100, value: Math.round(fraction * 100), 'data-test': 'import-progress' }),
    h('dl', { class: 'facts' },
      h('dt', {}, t('imp.rowsTotal')), h('dd', { 'data-test': 'rows-total' }, num(j.rows_total)),
      h('dt', {}, t('imp.rowsImported')), h('dd', { 'data-test': 'rows-imported' }, num(j.rows_imported)),
      h('dt', {}, t('imp.ordersImported')), h('dd', { 'data-test': 'orders-imported' }, num(j.orders_imported)),
      h('dt', {}, t('imp.rowsDuplicate')), h('dd', { 'data-test': 'rows-duplicate' }, num(j.rows_duplicate)),
      h('dt', {}, t('imp.rowsRejected')), h('dd', { 'data-test': 'rows-rejected' }, num(j.rows_rejected))),
    j.failure ? errorBox(j.failure) : null,
    j.errors && j.errors.length ? [h('h3', {}, t('imp.errors')),
      table([[t('imp.line'), (e) => e.line], [t('imp.reason'), (e) => e.reason]], j.errors, { class: 'grid compact', 'data-test': 'import-errors' })] : null);
}
