// Numbers, money, rates and dates in the chosen language.
import { getLang, t } from './i18n.js';

const locale = () => (getLang() === 'zh-CN' ? 'zh-CN' : 'en-US');
const missing = '—';

export function num(value, digits = 0) {
  if (value === null || value === undefined || value === '') {
    return missing;
  }
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function money(value) {
  if (value === null || value === undefined || value === '') {
    return missing;
  }
  return '¥' + Number(value).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A rate 0..1 as a percentage. */
export function pct(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) {
    return missing;
  }
  return (Number(value) * 100).toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }) + '%';
}

export function dateTime(value) {
  if (!value) {
    return missing;
  }
  return new Date(value).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function date(value) {
  return value ? String(value).slice(0, 10) : missing;
}

/**
 * The shop's time zone: the analytics and KPI endpoints count days and months in it (their default), so the
 * console's "today" is the shop's today, not the browser's (Shanghai's morning is still yesterday in Europe).
 */
export const SHOP_ZONE = 'Asia/Shanghai';

/** YYYY-MM-DD of an instant in the shop's time zone. */
export function isoDate(d) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: SHOP_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The instant {days} days before now (its shop date is {days} days before the shop's today). */
export function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000);
}

/** A label of an enum value (lifecycle stage, ticket status, ...), or the value itself. */
export function label(group, value) {
  if (value === null || value === undefined) {
    return missing;
  }
  const key = `${group}.${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}
