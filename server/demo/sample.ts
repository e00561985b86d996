/**
 * The sample newsroom: a report written for Factdesk from the facts of the
 * example in DESIGN.md (a US plan for a Russia-Ukraine deal, reported by
 * Axios), with claims in every state, rated sources and a history. Sample
 * sources point at hosts under the reserved .example domain, one per outlet
 * (so independence counts them as separate outlets): they show the shape of
 * the work, not real citations.
 */

export const SAMPLE_REPORT = {
  title: 'Washington drafts a 28-point plan to end the war in Ukraine',
  outlet: 'Factdesk sample desk',
  byline: 'Sample newsroom staff',
  url: 'https://example.org/sample/28-point-plan',
  publishedOn: '2025-11-20',
  body: [
    'Officials in the US administration have been drafting a 28-point plan meant to end the war between Russia and Ukraine, according to reporting by Axios.',
    'Russian officials are said to be hopeful about the proposal, which has been prepared in contact with Moscow. How Kyiv and its European allies see the plan is still unclear. One commentator went further and claimed that the plan was drawn up without any contact with Moscow at all.',
    'Kirill Dmitriev, the Russian envoy taking part in the talks, spent three days in Miami, from October 24 to 26, meeting members of the US team. "We feel the Russian position is really being heard," Dmitriev told the outlet.',
    'A summit between the two presidents that had been planned for Budapest remains on hold, according to officials.',
    'A White House official said that briefings of European officials on the plan have started, alongside conversations with Ukrainian representatives.',
  ].join('\n\n'),
};

type Rel = 'origin' | 'supports' | 'contradicts' | 'context';
type Rating = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

export interface SampleSource {
  key: string;
  kind: 'web_page' | 'document' | 'interview' | 'social_post' | 'prior_fact_check' | 'other';
  title: string;
  publisher: string;
  url: string;
  reliability: Rating;
  /** The sample source this one repeats (provenance): the two count as one origin. */
  repeats?: { key: string; kind: 'based_on' | 'quotes' | 'republishes' };
}

export const SAMPLE_SOURCES: SampleSource[] = [
  { key: 'axios', kind: 'web_page', title: 'Axios report on the US 28-point plan (sample entry)', publisher: 'Axios', url: 'https://axios.example/sample/axios-plan', reliability: 'B' },
  { key: 'wh', kind: 'document', title: 'White House press briefing transcript (sample entry)', publisher: 'The White House', url: 'https://whitehouse.example/sample/briefing', reliability: 'A' },
  { key: 'tass', kind: 'web_page', title: 'Interview with Kirill Dmitriev (sample entry)', publisher: 'Russian state media', url: 'https://state-media.example/sample/dmitriev-interview', reliability: 'D' },
  { key: 'wire', kind: 'web_page', title: 'Wire report on the envoys’ Miami meetings (sample entry)', publisher: 'International wire service', url: 'https://wire-service.example/sample/miami-wire', reliability: 'B' },
  { key: 'kyiv', kind: 'web_page', title: 'Statement by the Ukrainian presidential office (sample entry)', publisher: 'Office of the President of Ukraine', url: 'https://president-ua.example/sample/kyiv-statement', reliability: 'B' },
  { key: 'post', kind: 'social_post', title: 'Commentator’s post about the plan (sample entry)', publisher: 'Social media', url: 'https://social.example/sample/commentator-post', reliability: 'E' },
  { key: 'hungary', kind: 'web_page', title: 'Hungarian government on the Budapest summit (sample entry)', publisher: 'Government of Hungary', url: 'https://government-hu.example/sample/budapest', reliability: 'B' },
  {
    key: 'rewrite',
    kind: 'web_page',
    title: 'Regional daily runs the wire report on Miami (sample entry)',
    publisher: 'Regional daily',
    url: 'https://regional-daily.example/sample/miami',
    reliability: 'B',
    repeats: { key: 'wire', kind: 'republishes' },
  },
];

export interface SampleClaim {
  quote: string;
  statement: string;
  claimant: string | null;
  kind: 'factual' | 'attributed' | 'direct_quote' | 'prediction' | 'opinion';
  tags: string[];
  priority: number;
  evidence: { source: string; relation: Rel; credibility: 1 | 2 | 3 | 4 | 5 | 6; excerpt: string }[];
  /** The path the claim takes; the last step is its status. */
  path: ('submit' | 'request_changes' | 'resubmit' | 'verify' | 'refute' | 'mark_unverifiable' | 'withdraw' | 'take')[];
  confidence?: 'high' | 'moderate' | 'low';
  comments?: { by: 'editor' | 'reviewer'; text: string }[];
  notes?: Partial<Record<string, string>>;
}

export const SAMPLE_CLAIMS: SampleClaim[] = [
  {
    quote: 'Officials in the US administration have been drafting a 28-point plan meant to end the war between Russia and Ukraine',
    statement: 'The US administration has been working on a 28-point plan to end the war between Russia and Ukraine.',
    claimant: 'Axios (reporting)',
    kind: 'attributed',
    tags: ['ukraine', 'diplomacy'],
    priority: 2,
    evidence: [
      { source: 'axios', relation: 'origin', credibility: 2, excerpt: 'The administration has been working on a 28-point plan.' },
      // Credibility 1 ("confirmed by other independent sources") only once an independent source confirms it: the wire report first.
      { source: 'wire', relation: 'supports', credibility: 2, excerpt: 'Two officials described a plan of 28 points.' },
      { source: 'wh', relation: 'supports', credibility: 1, excerpt: 'The press secretary confirmed that a framework is being discussed.' },
    ],
    path: ['submit', 'verify'],
    confidence: 'high',
    notes: { verify: 'Confirmed by the briefing transcript and a second, independent report.' },
  },
  {
    quote: 'Russian officials are said to be hopeful about the proposal',
    statement: 'Russian officials are hopeful about the plan.',
    claimant: 'Russian officials',
    kind: 'attributed',
    tags: ['russia'],
    priority: 1,
    evidence: [{ source: 'axios', relation: 'origin', credibility: 3, excerpt: 'Russian officials told Axios they were hopeful.' }],
    path: ['submit'],
    comments: [{ by: 'editor', text: 'We can confirm the attribution to Axios, not the feeling itself. Is that enough?' }],
  },
  {
    quote: '"We feel the Russian position is really being heard,"',
    statement: 'Kirill Dmitriev said: “We feel the Russian position is really being heard.”',
    claimant: 'Kirill Dmitriev',
    kind: 'direct_quote',
    tags: ['russia', 'quotes'],
    priority: 2,
    evidence: [{ source: 'tass', relation: 'context', credibility: 3, excerpt: 'The envoy spoke of the talks in general terms.' }],
    path: ['submit', 'request_changes'],
    comments: [{ by: 'reviewer', text: 'Link the origin of the exact wording before this goes back in the queue.' }],
    notes: { request_changes: 'The quote needs its origin: find the outlet that first published these exact words.' },
  },
  {
    quote: 'How Kyiv and its European allies see the plan is still unclear.',
    statement: 'Ukraine’s and its allies’ stance on the plan remains unclear.',
    claimant: null,
    kind: 'opinion',
    tags: ['ukraine'],
    priority: 1,
    evidence: [{ source: 'kyiv', relation: 'context', credibility: 6, excerpt: 'The office said it had not received a text.' }],
    path: ['submit', 'mark_unverifiable'],
    confidence: 'low',
    notes: { mark_unverifiable: 'An assessment of a moving situation; no statement settles it either way.' },
  },
  {
    quote: 'the plan was drawn up without any contact with Moscow at all',
    statement: 'The plan was drawn up without any contact with Moscow.',
    claimant: 'A commentator',
    kind: 'factual',
    tags: ['russia', 'diplomacy'],
    priority: 1,
    evidence: [
      { source: 'post', relation: 'origin', credibility: 5, excerpt: 'Nobody in Moscow was asked.' },
      { source: 'axios', relation: 'contradicts', credibility: 2, excerpt: 'The plan is being prepared in consultation with Moscow.' },
    ],
    path: ['submit', 'refute'],
    confidence: 'moderate',
    notes: { refute: 'The reporting this claim reacts to says the plan was prepared in consultation with Moscow.' },
  },
  {
    quote: 'spent three days in Miami, from October 24 to 26',
    statement: 'Kirill Dmitriev was in Miami from October 24 to 26.',
    claimant: null,
    kind: 'factual',
    tags: ['travel'],
    priority: 1,
    evidence: [{ source: 'wire', relation: 'supports', credibility: 2, excerpt: 'Dmitriev met the US envoy in Miami over three days, from October 24.' }],
    path: ['submit', 'verify'],
    confidence: 'moderate',
  },
  {
    quote: 'A summit between the two presidents that had been planned for Budapest remains on hold',
    statement: 'A planned summit in Budapest remains on hold.',
    claimant: null,
    kind: 'factual',
    tags: ['diplomacy', 'time-sensitive'],
    priority: 3,
    evidence: [{ source: 'hungary', relation: 'supports', credibility: 2, excerpt: 'No date has been set for the meeting.' }],
    path: ['submit', 'take'],
  },
  {
    quote: 'briefings of European officials on the plan have started',
    statement: 'White House briefings of European officials on the plan have started.',
    claimant: 'White House official',
    kind: 'attributed',
    tags: ['europe'],
    priority: 1,
    evidence: [],
    path: [],
  },
  {
    quote: 'How Kyiv and its European allies see the plan',
    statement: 'Kyiv has not said what it thinks of the plan.',
    claimant: null,
    kind: 'factual',
    tags: ['ukraine'],
    priority: 0,
    evidence: [],
    path: ['withdraw'],
    notes: { withdraw: 'Duplicate of the claim on the stance of Ukraine and its allies.' },
  },
  {
    // Logged again in other words: the desk suggests the verified claim above as the same claim.
    // Its two supporting sources are one origin: the regional daily republishes the wire report.
    quote: 'spent three days in Miami, from October 24 to 26',
    statement: 'Kirill Dmitriev stayed in Miami from October 24 to 26.',
    claimant: null,
    kind: 'factual',
    tags: ['travel'],
    priority: 1,
    evidence: [
      { source: 'wire', relation: 'supports', credibility: 2, excerpt: 'Dmitriev met the US envoy in Miami over three days, from October 24.' },
      { source: 'rewrite', relation: 'supports', credibility: 2, excerpt: 'The Russian envoy spent three days in Miami meeting US officials.' },
    ],
    path: [],
  },
];
