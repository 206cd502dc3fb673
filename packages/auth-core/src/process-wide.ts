/**
 * State that must be one per process even when two copies of msint are installed side by side (an integration
 * package bringing its own `@msint/auth-core`): it lives on `globalThis` under `Symbol.for("msint.<name>")`,
 * which every copy computes the same. Only plain objects with a stable shape are kept there (a redactor, a
 * logger, an AsyncLocalStorage), so copies of different versions can share them.
 */
export function processWide<T extends object>(name: string, create: () => T): T {
  const key = Symbol.for(`msint.${name}`);
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = slots[key];
  if (existing !== undefined) return existing;
  const value = create();
  Object.defineProperty(globalThis, key, { value, enumerable: false, writable: false, configurable: true });
  return value;
}
