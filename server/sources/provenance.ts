/**
 * Provenance: which sources repeat which, as plain functions over a citation
 * graph (the database hands over the part reachable from the sources asked
 * about: provenance.repo.ts). A source's ancestors are every source it leads
 * back to; its origins are where that trail ends; a loop (A cites B cites A,
 * or A citing itself) is circular reporting, and its members have no origin
 * outside it.
 */

export const CITATION_KINDS = ['based_on', 'quotes', 'republishes'] as const;
export type CitationKind = (typeof CITATION_KINDS)[number];
export const CITATION_KIND_LABELS: Record<CitationKind, { verb: string; label: string }> = {
  based_on: { verb: 'is based on', label: 'Based on' },
  quotes: { verb: 'quotes', label: 'Quotes' },
  republishes: { verb: 'republishes', label: 'Republishes' },
};

/** A source as provenance shows it: enough to name it and tell its outlet. */
export interface SourceRef {
  id: number;
  title: string;
  url: string | null;
  publisher: string | null;
  outlet: string | null;
}

export interface Citation {
  sourceId: number;
  citedId: number;
  kind: CitationKind;
}

export interface CitationGraph {
  sources: ReadonlyMap<number, SourceRef>;
  citations: readonly Citation[];
}

/** A step of a source's chain: the source it cites, how, and what that one cites in turn. */
export interface ChainStep {
  source: SourceRef;
  kind: CitationKind;
  /** True where the chain comes back to a source already on it: the loop closes here. */
  loopsBack: boolean;
  next: ChainStep[];
}

const citedBy = (graph: CitationGraph): Map<number, Citation[]> => {
  const out = new Map<number, Citation[]>();
  for (const c of graph.citations) out.set(c.sourceId, [...(out.get(c.sourceId) ?? []), c]);
  return out;
};

/** Every source `id` leads back to through citations (itself only when it is on a loop). */
export function ancestorsOf(graph: CitationGraph, id: number): number[] {
  const edges = citedBy(graph);
  const seen = new Set<number>();
  const stack = (edges.get(id) ?? []).map((c) => c.citedId);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const c of edges.get(next) ?? []) stack.push(c.citedId);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Where a source's trail ends: the ancestors that cite nothing, and, when the
 * trail runs into a loop with no way out, that loop's members. A source that
 * cites nothing is its own origin.
 */
export function originsOf(graph: CitationGraph, id: number): number[] {
  const edges = citedBy(graph);
  const ancestors = ancestorsOf(graph, id);
  if (ancestors.length === 0) return [id];
  const loops = loopsOf(graph);
  const origins = new Set<number>();
  for (const a of ancestors) {
    if (!edges.has(a)) origins.add(a);
    const loop = loops.find((l) => l.includes(a));
    // A loop whose members cite only each other is where the trail ends.
    if (loop && loop.every((m) => (edges.get(m) ?? []).every((c) => loop.includes(c.citedId)))) for (const m of loop) origins.add(m);
  }
  return [...origins].sort((a, b) => a - b);
}

/**
 * The loops of the graph (Tarjan's strongly connected components with more
 * than one member, or a self-citation), each in the order its citations run,
 * starting from its lowest id.
 */
export function loopsOf(graph: CitationGraph): number[][] {
  const edges = citedBy(graph);
  const nodes = new Set<number>();
  for (const c of graph.citations) nodes.add(c.sourceId).add(c.citedId);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (v: number): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const { citedId: w } of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: number[] = [];
    let w: number;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfCited = component.length === 1 && (edges.get(v) ?? []).some((c) => c.citedId === v);
    if (component.length > 1 || selfCited) components.push(cycleThrough(component, edges));
  };
  for (const v of [...nodes].sort((a, b) => a - b)) if (!index.has(v)) visit(v);
  return components.sort((a, b) => a[0]! - b[0]!);
}

/** One cycle through a component's lowest id, found by walking its citations inside the component. */
function cycleThrough(component: number[], edges: Map<number, Citation[]>): number[] {
  const members = new Set(component);
  const start = Math.min(...component);
  const path: number[] = [];
  const seen = new Set<number>();
  const walk = (v: number): boolean => {
    path.push(v);
    seen.add(v);
    for (const { citedId: w } of edges.get(v) ?? []) {
      if (w === start) return true;
      if (members.has(w) && !seen.has(w) && walk(w)) return true;
    }
    path.pop();
    return false;
  };
  walk(start);
  return path;
}

/** The chain a source page shows: what the source cites, and what those cite, to `depth` steps. */
export function chainOf(graph: CitationGraph, id: number, depth = 8): ChainStep[] {
  const edges = citedBy(graph);
  const steps = (from: number, onPath: Set<number>, left: number): ChainStep[] =>
    (edges.get(from) ?? []).flatMap((c) => {
      const source = graph.sources.get(c.citedId);
      if (!source) return [];
      const loopsBack = onPath.has(c.citedId);
      const next = loopsBack || left <= 1 ? [] : steps(c.citedId, new Set([...onPath, c.citedId]), left - 1);
      return [{ source, kind: c.kind, loopsBack, next }];
    });
  return steps(id, new Set([id]), depth);
}

/** A loop in words: "A cites B, which cites A". */
export function describeLoop(graph: CitationGraph, loop: readonly number[]): string {
  const name = (id: number) => `“${graph.sources.get(id)?.title ?? `source #${id}`}”`;
  if (loop.length === 1) return `${name(loop[0]!)} cites itself`;
  const kindOf = (from: number, to: number) => CITATION_KIND_LABELS[graph.citations.find((c) => c.sourceId === from && c.citedId === to)?.kind ?? 'based_on'].verb;
  const steps = loop.map((id, i) => {
    const to = loop[(i + 1) % loop.length]!;
    return `${i === 0 ? name(id) : 'which'} ${kindOf(id, to)} ${name(to)}`;
  });
  return steps.join(', ');
}
