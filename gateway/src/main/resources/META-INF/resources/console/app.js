// The console's shell: login with an API key, navigation, language switch and a hash router
// (#/dashboard, #/customers, #/customers/42, #/segments, #/campaigns, #/campaigns/7, #/imports, #/tickets).
import { api, ApiError, session } from './api.js';
import { describe as describeCharts, disposeAll } from './charts.js';
import { clear, errorBox, h } from './dom.js';
import { getLang, onLangChange, setLang, t } from './i18n.js';
import * as dashboard from './pages/dashboard.js';
import * as customers from './pages/customers.js';
import * as customer360 from './pages/customer360.js';
import * as segments from './pages/segments.js';
import * as campaigns from './pages/campaigns.js';
import * as campaignReport from './pages/campaign-report.js';
import * as imports from './pages/imports.js';
import * as tickets from './pages/tickets.js';

const routes = [
  [/^#\/dashboard$/, dashboard, 'dashboard'],
  [/^#\/customers$/, customers, 'customers'],
  [/^#\/customers\/(\d+)$/, customer360, 'customers'],
  [/^#\/segments$/, segments, 'segments'],
  [/^#\/campaigns$/, campaigns, 'campaigns'],
  [/^#\/campaigns\/(\d+)$/, campaignReport, 'campaigns'],
  [/^#\/imports$/, imports, 'imports'],
  [/^#\/tickets$/, tickets, 'tickets'],
];
const NAV = ['dashboard', 'customers', 'segments', 'campaigns', 'imports', 'tickets'];

const app = document.getElementById('app');
let renderCount = 0;

// What the browser tests read: the charts on the page and whether the page finished loading.
window.crmConsole = { charts: describeCharts, state: { page: null, loading: false, renders: 0 } };

function langSwitch() {
  return h('select', {
    class: 'lang', 'aria-label': 'Language', 'data-test': 'lang',
    onchange: (e) => setLang(e.target.value),
  }, [['zh-CN', '中文'], ['en', 'English']].map(([value, label]) =>
    h('option', { value, selected: getLang() === value }, label)));
}

function loginPage() {
  disposeAll();
  const input = h('input', {
    type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true,
    placeholder: 'crm_…', 'data-test': 'api-key',
  });
  const message = h('div');
  const form = h('form', {
    class: 'login card', 'data-test': 'login-form',
    onsubmit: async (e) => {
      e.preventDefault();
      clear(message);
      const key = input.value.trim();
      try {
        // one tenant-scoped read: a wrong key is a 401, a platform key (no shop) a 403
        await api('/api/v1/customers', { query: { limit: 1 }, key });
        session.login(key);
        window.location.hash = '#/dashboard';
        route();
      } catch (error) {
        message.append(errorBox(error instanceof ApiError && error.status === 401 ? t('login.invalid')
          : error instanceof ApiError && error.status === 403 ? t('login.forbidden') : error));
      }
    },
  },
  h('h1', {}, 'Shop CRM'),
  h('p', { class: 'muted' }, t('login.subtitle')),
  h('label', { for: 'api-key' }, t('login.key')),
  input,
  h('button', { type: 'submit', class: 'primary', 'data-test': 'login' }, t('login.submit')),
  message,
  h('p', { class: 'muted small' }, t('login.help'), ' ', h('code', {}, 'Authorization: Bearer crm_…')),
  h('p', { class: 'small' },
    h('a', { href: '/api/docs/' }, t('nav.apiDocs')), ' · ', h('a', { href: '/api/v1/openapi' }, '/api/v1/openapi')));
  clear(app).append(h('div', { class: 'login-wrap' }, h('div', { class: 'login-lang' }, langSwitch()), form));
  input.focus();
}

function shell(active) {
  const nav = h('nav', { class: 'nav' }, NAV.map((name) =>
    h('a', { href: `#/${name}`, class: name === active ? 'active' : '', 'data-test': `nav-${name}` }, t(`nav.${name}`))));
  const main = h('main', { id: 'main', 'data-test': 'main' });
  clear(app).append(
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#/dashboard' }, 'Shop CRM ', h('span', { class: 'muted' }, t('brand.sub'))),
      nav,
      h('div', { class: 'tools' },
        langSwitch(),
        h('a', { href: '/api/docs/', target: '_blank', rel: 'noopener' }, t('nav.apiDocs')),
        h('button', {
          class: 'link', 'data-test': 'logout',
          onclick: () => { session.logout(); window.location.hash = '#/login'; route(); },
        }, t('nav.logout')))),
    main);
  return main;
}

async function route() {
  const hash = window.location.hash || '#/dashboard';
  if (!session.key()) {
    window.crmConsole.state.page = 'login';
    loginPage();
    return;
  }
  const match = routes.map(([pattern, page, nav]) => [hash.match(pattern), page, nav]).find(([m]) => m);
  if (!match) {
    window.location.hash = '#/dashboard';
    return;
  }
  const [m, page, nav] = match;
  const mine = ++renderCount;
  disposeAll();
  const main = shell(nav);
  const state = window.crmConsole.state;
  state.page = hash;
  state.loading = true;
  try {
    await page.render(main, ...m.slice(1));
  } catch (error) {
    main.append(errorBox(error));
  } finally {
    if (mine === renderCount) {
      state.loading = false;
      state.renders++;
    }
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('crm:unauthorized', () => { session.logout(); route(); });
onLangChange(route);
route();
