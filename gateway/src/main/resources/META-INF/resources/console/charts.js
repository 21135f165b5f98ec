// ECharts instances of the current page, by name. The registry is also what the browser tests read
// (window.crmConsole.charts()): each chart's series and their data, as the user sees them.
import * as echarts from 'echarts';

const instances = new Map();

export const palette = ['#2f6fdf', '#f08c2e', '#36a56b', '#c2455b', '#8a63d2', '#1fa2b5', '#d4a017', '#6b7785'];

/** Draws (or redraws) the chart called {name} in {el}. */
export function chart(name, el, option) {
  let instance = instances.get(name);
  if (!instance || instance.getDom() !== el) {
    instance?.dispose();
    instance = echarts.init(el, null, { renderer: 'canvas' });
    instances.set(name, instance);
  }
  instance.setOption({ color: palette, animationDuration: 300, ...option }, true);
  return instance;
}

export function disposeAll() {
  instances.forEach((instance) => instance.dispose());
  instances.clear();
}

window.addEventListener('resize', () => instances.forEach((instance) => instance.resize()));

/** {name: {series: [{type, name, data}]}} of the charts on the page, for tests and debugging. */
export function describe() {
  const out = {};
  instances.forEach((instance, name) => {
    if (instance.isDisposed()) {
      return;
    }
    const option = instance.getOption();
    out[name] = {
      series: (option.series || []).map((s) => ({ type: s.type, name: s.name ?? null, data: s.data })),
      xAxis: (option.xAxis || []).map((a) => a.data || null),
      yAxis: (option.yAxis || []).map((a) => a.data || null),
    };
  });
  return JSON.parse(JSON.stringify(out));
}
