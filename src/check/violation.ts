// A broken invariant as the checkers report it (the world adds the seed when printing).

export interface Violation {
  invariant: string;
  time: number;
  view?: number;
  seq?: number;
  replicas?: number[];
  detail: string;
}
