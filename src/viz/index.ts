/** DOM-free SVG charts and maps, shared by the web portal and the PDF reports. */
export { UNIT_SEPARATOR, formatNumber, formatPercent, formatTick, formatValue } from './format.ts';
export {
  CLASS_METHOD_LABELS_DE,
  MAX_CLASSES,
  NO_VALUE_FILL,
  NO_VALUE_HATCH,
  SEQUENTIAL_PALETTE,
  classBreaks,
  classCount,
  classOf,
  classRanges,
  equalIntervalBreaks,
  jenksBreaks,
  paletteFor,
  quantileBreaks,
  type ClassMethod,
  type ClassRange,
} from './classify.ts';
export { renderChoropleth, type ChoroplethInput, type ChoroplethValue } from './choropleth.ts';
export {
  BAR_COLOUR,
  HIGHLIGHT_COLOUR,
  renderRankingChart,
  sortRows,
  type RankingInput,
  type RankingRow,
  type ReferenceLine,
} from './ranking.ts';
export {
  LINE_STYLES,
  niceTicks,
  renderLineChart,
  type LineChartInput,
  type LineSeries,
} from './line.ts';
export { renderGroupedBars, type GroupedBarsInput } from './grouped-bars.ts';
export {
  renderSparkline,
  sparklineText,
  type SparkPoint,
  type SparklineInput,
} from './sparkline.ts';
