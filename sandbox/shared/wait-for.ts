/** Resolves with `items` once they satisfy the condition (a count or a predicate); `listeners` are called on every new item. */
export function waitFor<T>(items: T[], listeners: Set<() => void>, countOrPredicate: number | ((items: T[]) => boolean), timeoutMs: number): Promise<T[]> {
  const done = () => (typeof countOrPredicate === "number" ? items.length >= countOrPredicate : countOrPredicate(items));
  if (done()) return Promise.resolve(items);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.delete(check);
      const wanted = typeof countOrPredicate === "number" ? `${countOrPredicate} messages` : "a matching message";
      reject(new Error(`waited ${timeoutMs} ms for ${wanted}, have ${items.length}`));
    }, timeoutMs);
    function check() {
      if (!done()) return;
      clearTimeout(timer);
      listeners.delete(check);
      resolve(items);
    }
    listeners.add(check);
  });
}
