// The Prisma 6.19 WASM schema engine arms 60 s and 10 s timers that keep the CLI alive after it has
// finished (migrate dev would take ~62 s instead of ~2.5 s). Unref long timers so the process can exit.
const orig = global.setTimeout;
global.setTimeout = function (fn, ms, ...args) {
  const t = orig.call(this, fn, ms, ...args);
  if (ms >= 5000 && t && typeof t.unref === "function") t.unref();
  return t;
};
