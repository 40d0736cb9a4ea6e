// The engine → policy → sending chain (issue 5, item 3): after a reorder run, the approval policy looks
// at the drafts the run wrote; an auto-approved PO of an auto-send supplier is dispatched without anyone
// clicking, the others wait in the review queue. The plan itself is a stand-in that drafts POs.
import { pino } from "pino";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { runReorderThenApprove } from "#workers/processors/purchasing.ts";
import type { PlanForShop } from "#workers/processors/reorder.ts";
import { createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "../workers/helpers.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

const NOW = new Date("2026-03-05T06:00:00Z");

beforeEach(resetDatabase);
afterEach(() => obliterateAll(getProducerQueues()));
afterAll(closeQueues);

describe("run-reorder followed by the approval policy", () => {
  it("dispatches what the policy approves for auto-send suppliers and queues the rest for review", async () => {
    const f = await createPurchasingFixture({ autoSend: true });
    await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { approvalMode: "EXCEPTIONS_ONLY" } });
    const manual = await createSupplier({ shopId: f.shopId, autoSend: false });
    const drafted: string[] = [];
    const planForShop: PlanForShop = async () => {
      drafted.push((await createPurchaseOrder(f, { total: "400.00" })).id); // clean, auto-send supplier → goes out
      drafted.push((await createPurchaseOrder({ ...f, supplierId: manual.id }, { total: "400.00" })).id); // clean, manual send → approved, waits
      drafted.push((await createPurchaseOrder(f, { total: "400.00", flags: ["bulk_order_trigger"] })).id); // flagged → review
      return { suggestionCount: 6 };
    };
    const deps = { db: prisma, logger: pino({ level: "silent" }), now: () => NOW, queues: getProducerQueues(), planForShop, webhookHandlers: {} } as unknown as ProcessorDeps;

    const result = await runReorderThenApprove({ shopId: f.shopId, trigger: "NIGHTLY" }, deps);
    expect(result).toMatchObject({ status: "COMPLETED", approval: { approved: 2, queuedForReview: 1, dispatched: 1 } });
    const [autoPo, manualPo, flaggedPo] = await Promise.all(drafted.map((id) => prisma.purchaseOrder.findUniqueOrThrow({ where: { id } })));
    expect(autoPo).toMatchObject({ status: "DRAFT", approvedBy: "approval policy" });
    expect(manualPo).toMatchObject({ status: "DRAFT", approvedBy: "approval policy" });
    expect(flaggedPo).toMatchObject({ status: "AWAITING_APPROVAL", approvedAt: null });
    const jobs = await getProducerQueues().queue("purchasing").getJobs(["waiting"]);
    expect(jobs.map((j) => j.data)).toEqual([{ shopId: f.shopId, purchaseOrderId: autoPo!.id, step: "render" }]);

    // The next run finds nothing new to decide, and enqueues nothing twice.
    const again = await runReorderThenApprove({ shopId: f.shopId, trigger: "NIGHTLY" }, { ...deps, planForShop: async () => ({ suggestionCount: 0 }) });
    expect(again).toMatchObject({ approval: { approved: 0, queuedForReview: 1, dispatched: 0 } });
    expect(await getProducerQueues().queue("purchasing").getJobCounts("waiting")).toEqual({ waiting: 1 });
  });
});
