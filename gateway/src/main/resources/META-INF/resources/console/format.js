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

/** YYYY-MM-DD of a local date. */
export function isoDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function daysAgo(days) {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return d;
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
