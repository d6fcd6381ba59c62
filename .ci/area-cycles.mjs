// dependency-cruiser finds cycles between files; this finds them between areas: a module area
// (src/modules/<area>), a presentation area (src/present/<area>) or any other top folder of src/.
// alerts -> subscribers -> alerts is a cycle here even when no single file closes it.
import { cruise } from 'dependency-cruiser'

const areaOf = (path) => {
  const m = /^src\/(modules|present)\/([^/]+)\//.exec(path) ?? /^(src\/[^/]+|workers)(\/|$)/.exec(path)
  if (!m) return undefined
  return m[1] === 'modules' || m[1] === 'present' ? `src/${m[1]}/${m[2]}` : m[1].replace(/\.ts$/, '')
}

const { output } = await cruise(['src', 'workers'], {
  tsPreCompilationDeps: true,
  doNotFollow: { path: 'node_modules' },
  tsConfig: { fileName: 'tsconfig.json' },
})
const edges = new Map()
for (const module of output.modules) {
  const from = areaOf(module.source)
  if (!from) continue
  for (const dependency of module.dependencies) {
    const to = areaOf(dependency.resolved)
    if (!to || to === from) continue
    if (!edges.has(from)) edges.set(from, new Map())
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} -> ${dependency.resolved}`)
  }
}

// Tarjan's strongly connected components: every component of two or more areas is a cycle.
let index = 0
const state = new Map()
const stack = []
const cycles = []
function visit(area) {
  state.set(area, { index, low: index, onStack: true })
  index++
  stack.push(area)
  for (const next of edges.get(area)?.keys() ?? []) {
    if (!state.has(next)) {
      visit(next)
      state.get(area).low = Math.min(state.get(area).low, state.get(next).low)
    } else if (state.get(next).onStack) {
      state.get(area).low = Math.min(state.get(area).low, state.get(next).index)
    }
  }
  if (state.get(area).low === state.get(area).index) {
    const component = []
    let member
    do {
      member = stack.pop()
      state.get(member).onStack = false
      component.push(member)
    } while (member !== area)
    if (component.length > 1) cycles.push(component)
  }
}
for (const area of edges.keys()) if (!state.has(area)) visit(area)

for (const component of cycles) {
  console.log(`area cycle: ${component.sort().join(', ')}`)
  for (const from of component) {
    for (const [to, example] of edges.get(from) ?? []) if (component.includes(to)) console.log(`  ${example}`)
  }
}
console.log(`${cycles.length} area cycles among ${edges.size} areas`)
process.exit(cycles.length ? 1 : 0)
