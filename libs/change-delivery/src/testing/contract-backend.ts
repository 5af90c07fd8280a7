/** What a backend supplies to run one of change delivery's contracts (as config-store's contract does). */
export interface ContractBackend<T> {
  /**
   * A new instance (a replica) on the state of `namespace`: instances opened on one namespace share
   * it, other namespaces do not see it (each test takes a fresh one, so nothing needs flushing).
   */
  open(namespace: string): Promise<T>;
  teardown(): Promise<void>;
}

let counter = 0;
/** A namespace no other test of this process uses. */
export function freshNamespace(): string {
  counter += 1;
  return `contract-${process.pid}-${Date.now()}-${counter}:`;
}

/** A contract's view of its backend: replicas on the current test's namespace, and a fresh other one. */
export interface ContractReplicas<T> {
  replica(): Promise<T>;
  elsewhere(): Promise<T>;
}

/** Registers the hooks every contract needs (backend per suite, namespace per test) inside its describe. */
export function contractReplicas<T>(factory: () => Promise<ContractBackend<T>>): ContractReplicas<T> {
  let backend: ContractBackend<T>;
  let namespace: string;
  beforeAll(async () => {
    backend = await factory();
  });
  afterAll(() => backend.teardown());
  beforeEach(() => {
    namespace = freshNamespace();
  });
  return {
    replica: () => backend.open(namespace),
    elsewhere: () => backend.open(freshNamespace()),
  };
}
