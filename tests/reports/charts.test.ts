// The tracker's chart geometry and the feed's escaping, as pure functions: no database, no app.
import t from 'tap'
import {
  barChart,
  binTimeline,
  CHART_WIDTH,
  columnChart,
  fitText,
  textWidth,
} from '../../src/present/reports/charts.ts'
import { xmlEscape } from '../../src/present/reports/escape.ts'
import { safeSourceUrl } from '../../src/present/reports/page.ts'

const fmt = { period: (k: string) => `P${k}`, number: (n: number) => n.toLocaleString('en') }

t.test('bars are scaled to the largest value, and leave room for the value text', async (t) => {
  const chart = barChart([
    { label: 'Changchun', value: 450, valueText: '450 people' },
    { label: 'Tumen', value: 225, valueText: '225 people' },
    { label: 'Nowhere', value: 0, valueText: '0 people' },
    { label: 'Tiny', value: 1, valueText: '1 person' },
  ])
  const [a, b, c, d] = chart.rows
  t.equal(chart.width, CHART_WIDTH)
  t.ok(a!.barWidth + textWidth('450 people') < CHART_WIDTH, 'the longest bar and its value fit the width')
  t.equal(b!.barWidth, a!.barWidth / 2, 'half the people, half the bar')
  t.equal(c!.barWidth, 0, 'zero draws no bar')
  t.ok(d!.barWidth >= 2, 'a small value is still visible')
  t.ok(a!.valueX > a!.barWidth, 'the value is written just past the end of its bar')
  t.same(
    chart.rows.map((r) => r.labelY),
    [14, 54, 94, 134],
    'one row every 40 units',
  )
  t.ok(
    chart.rows.every((r) => r.barY > r.labelY && r.barY + chart.barHeight <= chart.height),
    'bars under their labels, inside the chart',
  )
  t.equal(barChart([]).height, 0)
  t.same(barChart([{ label: 'x', value: 0, valueText: '0' }]).rows[0]!.barWidth, 0, 'all zeros: no division by zero')
})

t.test('labels too wide for the chart are cut by whole characters with an ellipsis', async (t) => {
  t.ok(textWidth('창춘 교도소') > textWidth('abcdef'), 'Hangul counts wider than Latin')
  t.equal(fitText('Tumen', 360), 'Tumen')
  const long = 'Hunchun border detention centre near the Tumen River crossing, Yanbian Korean Autonomous Prefecture'
  const cut = fitText(long, 360)
  t.ok(cut.endsWith('…') && cut.length < long.length)
  t.ok(textWidth(cut) <= 360)
  const emoji = fitText('😀'.repeat(100), 50)
  t.notMatch(emoji, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'never cuts a surrogate pair in half')
  t.equal(barChart([{ label: long, value: 1, valueText: '1' }]).rows[0]!.label, cut)
})

t.test('the timeline uses days, months or years by span, and fills the gaps with zeros', async (t) => {
  t.same(binTimeline([]), { unit: 'day', bins: [] })
  const days = binTimeline([
    { day: '2021-07-22', people: 1170, reports: 6 },
    { day: '2021-07-15', people: 50, reports: 1 },
  ])
  t.equal(days.unit, 'day')
  t.equal(days.bins.length, 8, '15 to 22 July, both included')
  t.same(days.bins[0], { key: '2021-07-15', people: 50, reports: 1 })
  t.same(days.bins[1], { key: '2021-07-16', people: 0, reports: 0 })
  t.same(days.bins[7], { key: '2021-07-22', people: 1170, reports: 6 })

  const months = binTimeline([
    { day: '2021-07-15', people: 50, reports: 1 },
    { day: '2021-07-22', people: 1170, reports: 6 },
    { day: '2023-10-09', people: 500, reports: 1 },
  ])
  t.equal(months.unit, 'month')
  t.equal(months.bins.length, 28, 'July 2021 to October 2023')
  t.same(months.bins[0], { key: '2021-07', people: 1220, reports: 7 }, 'days of one month add up')
  t.same(months.bins[27], { key: '2023-10', people: 500, reports: 1 })
  t.same(months.bins[6], { key: '2022-01', people: 0, reports: 0 }, 'across the new year')

  const years = binTimeline([
    { day: '1998-03-01', people: 3, reports: 1 },
    { day: '2021-07-22', people: 1170, reports: 6 },
  ])
  t.equal(years.unit, 'year')
  t.equal(years.bins.length, 24)
  t.same(years.bins.at(-1), { key: '2021', people: 1170, reports: 6 })
})

t.test('columns scale to the busiest period, numbered while there is room', async (t) => {
  const bins = binTimeline([
    { day: '2021-07-15', people: 50, reports: 1 },
    { day: '2021-07-22', people: 1170, reports: 6 },
  ]).bins
  const chart = columnChart(bins, fmt)
  t.equal(chart.columns.length, 8)
  const tallest = chart.columns[7]!
  t.equal(tallest.y + tallest.height, chart.baseline, 'columns stand on the baseline')
  t.ok(tallest.height > chart.columns[0]!.height * 20)
  t.equal(chart.columns[1]!.height, 0, 'an empty day is empty')
  t.equal(chart.columns[1]!.label, null)
  t.equal(tallest.label?.text, '1,170')
  t.ok(tallest.label!.x + textWidth('1,170') / 2 <= CHART_WIDTH, 'the number over the last column stays inside')
  t.same(
    chart.axis.map((a) => [a.text, a.anchor]),
    [
      ['P2021-07-15', 'start'],
      ['P2021-07-22', 'end'],
    ],
  )
  t.equal(chart.scale, null)
  for (const c of chart.columns) t.ok(c.x >= 0 && c.x + c.width <= CHART_WIDTH)

  const many = columnChart(
    Array.from({ length: 40 }, (_, i) => ({ key: String(1990 + i), people: i, reports: 1 })),
    fmt,
  )
  t.ok(
    many.columns.every((c) => c.label === null),
    'too many columns to number each',
  )
  t.same(many.scale, { y: 22, text: '39' }, 'a scale line says what the tallest is instead')
  const wide = columnChart(
    Array.from({ length: 12 }, (_, i) => ({
      key: `2021-${String(i + 1).padStart(2, '0')}`,
      people: 1_234_567,
      reports: 1,
    })),
    fmt,
  )
  t.ok(
    wide.columns.every((c) => c.label === null),
    'numbers wider than their columns are left out, not overlapped',
  )
  t.same(
    columnChart(bins.slice(0, 1), fmt).axis.map((a) => a.anchor),
    ['middle'],
  )
  t.same(columnChart([], fmt).columns, [])
})

t.test('XML escaping covers markup, quotes and the characters XML 1.0 forbids', async (t) => {
  t.equal(
    xmlEscape(`<a href="x">Tom's & Jerry's</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom&apos;s &amp; Jerry&apos;s&lt;/a&gt;',
  )
  t.equal(xmlEscape('a\u0000b\u0001c\u0008d\u000Be\u001Ff\uFFFEg'), 'abcdefg')
  t.equal(xmlEscape('tab\tnew\nline\r'), 'tab\tnew\nline\r', 'tab, newline and carriage return are allowed')
  t.equal(xmlEscape('lone \uD800 surrogate'), 'lone  surrogate')
  t.equal(xmlEscape('pair 😀 kept, 한국어 中文'), 'pair 😀 kept, 한국어 中文')
})

t.test('only http and https sources become links', async (t) => {
  t.equal(safeSourceUrl('https://www.hrw.org/news'), 'https://www.hrw.org/news')
  t.equal(safeSourceUrl('http://example.org'), 'http://example.org')
  t.equal(safeSourceUrl('javascript:alert(1)'), null)
  t.equal(safeSourceUrl('data:text/html,x'), null)
  t.equal(safeSourceUrl(null), null)
})
