// The workflow run of one conversation, kept in its room's storage and driven by the room: the
// person's first message starts it, their answers and the room's alarm move it on, a teammate's
// reply stops it. Each step's effect is written down before it is done and settled after, so a room
// woken after a deploy, an eviction or a crash carries on where it was and sends nothing twice.
import { database } from "../db/client";
import type { Message } from "../db/schema";
import { answered, fieldValue, isOver, noted, plan, settled, startRun, takenOver, timedOut, wakeAt, type Effect, type Facts, type Run } from "../domain/automation";
import { claimPerson, contactView, getContactRow, updateContact } from "../domain/contacts";
import { findConversationView, getConversationRow, SYSTEM_VIEWER } from "../domain/conversations";
import { emailIdentity, phoneIdentity } from "../domain/identities";
import type { MessageChange } from "../domain/messages";
import { clip, INTERRUPTED, type Note, note } from "../domain/runNotes";
import { sendReply } from "../domain/replies";
import { actAndTell, announceState, assignAndTell, nextOnline } from "../domain/routing";
import { loadSettings } from "../domain/settings";
import { publishEvent } from "../domain/subscriptions";
import { languageOf, textsIn } from "../domain/texts";
import { requireActiveUser } from "../domain/users";
import { TRIGGER_CHANNELS, workflowFor, type TriggerChannel } from "../domain/workflows";
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { MessageView, RunView } from "../wire";
import { Lane } from "./lane";

/** What the runner needs of its room. */
export interface RunnerHost {
  conversationId(): string | null;
  /** A message of the thread, from the room's journal or D1; null when neither has it. */
  message(id: string): Promise<Message | null>;
  updateMessage(change: MessageChange, known: Message): Promise<MessageView>;
  /** Shows the run to the agents watching the conversation. */
  show(run: RunView): void;
}

const RUN = "run";
/** A run to start: written with the message that opens the conversation. */
const START = "run:start";
/** What the person wrote while a question was asked, oldest first, not yet read by the run. */
const ANSWERS = "run:answers";
/** How many answers wait at most: a person writing a burst while asked answers with the first ones. */
const MAX_ANSWERS = 20;
/** The name a workflow's messages carry. */
export const BOT_NAME = "Bot";

type Start = { runId: string; channel: TriggerChannel };

export class Runner {
  private readonly lane = new Lane();

  constructor(
    private readonly kv: SyncKvStorage,
    private readonly env: Env,
    private readonly host: RunnerHost,
  ) {}

  /**
   * A message the room has just kept, in the same storage write: the person's first message starts a
   * run, their next ones answer it, a teammate's reply stops it. Whether the run has work to do now.
   */
  heard(message: Message, opensThread: boolean, now = Date.now()): boolean {
    if (message.kind !== "message") return false;
    const run = this.run();
    if (message.authorType === "agent") {
      if (run && !isOver(run)) this.save(takenOver(run, message.authorName ?? "A teammate", now));
      return false;
    }
    if (message.direction !== "in") return false;
    if (!run) {
      if (!opensThread || !(TRIGGER_CHANNELS as readonly string[]).includes(message.channel)) return false;
      this.kv.put(START, { runId: message.id, channel: message.channel as TriggerChannel } satisfies Start);
      return true;
    }
    if (run.status !== "asking") return false;
    const answers = this.kv.get<string[]>(ANSWERS) ?? [];
    if (answers.length < MAX_ANSWERS) this.kv.put(ANSWERS, [...answers, message.body]);
    return true;
  }

  /** Forgets the run: what it asked and was answered is the person's data. */
  erase(): void {
    for (const key of [RUN, START, ANSWERS]) this.kv.delete(key);
  }

  /** The run as agents see it; null when the conversation has had none. */
  view(): RunView | null {
    const run = this.run();
    return run && runView(run);
  }

  /** When the room must wake for the run: now while it has work, a question's or a wait's deadline, else null. */
  dueAt(now = Date.now()): number | null {
    if (this.kv.get(START) !== undefined) return now;
    const run = this.run();
    return run ? wakeAt(run, now) : null;
  }

  /** Takes the run as far as it can go now. One drive at a time; a failure is left for the next wake. */
  drive(): Promise<void> {
    return this.lane.run(async () => {
      try {
        await this.advance();
      } catch (error) {
        console.error("workflow run paused; the room's alarm resumes it", error);
      }
    });
  }

  private async advance(): Promise<void> {
    const start = this.kv.get<Start>(START);
    if (start && !this.run()) await this.start(start);
    // Every pass settles an effect, reads an answer or moves the run on: a run of 30 steps ends well within this.
    for (let pass = 0; pass < 200; pass++) {
      const run = this.run();
      if (!run || isOver(run)) return;
      const now = Date.now();
      if (run.pending) {
        const effect = run.pending;
        const outcome = await this.perform(run, effect);
        const after = this.run()!;
        this.save(after.pending === effect || after.pending?.stepId === effect.stepId ? settled(after, outcome, Date.now()) : noted(after, effect.stepId, outcome, Date.now()));
        continue;
      }
      const answers = run.status === "asking" ? (this.kv.get<string[]>(ANSWERS) ?? []) : [];
      if (answers.length) {
        const next = answered(run, answers[0]!, await this.facts(), now);
        this.kv.put(ANSWERS, answers.slice(1));
        this.save(next);
        continue;
      }
      const timed = timedOut(run, now);
      if (timed !== run) {
        this.save(timed);
        continue;
      }
      if (run.status !== "running") return;
      this.save(plan(run, await this.facts(), now));
    }
  }

  private async start(start: Start): Promise<void> {
    const conversationId = this.host.conversationId();
    const workflow = await workflowFor(database(this.env.DB), start.channel);
    if (!workflow || !conversationId) {
      this.kv.delete(START);
      return;
    }
    const run = { ...startRun(workflow, start.channel, Date.now()), id: start.runId };
    const conversation = await findConversationView(database(this.env.DB), conversationId);
    // Told before the run is kept: a room stopped in between tells it again under the same id, which CRMs hear once.
    await publishEvent(
      this.env,
      "automation.entered",
      { automation: { type: "workflow", id: workflow.id, name: workflow.name, version: workflow.version }, conversationId, contact: conversation?.contact ?? null },
      run.id,
    );
    this.save(run);
    this.kv.delete(START);
  }

  private run(): Run | null {
    return this.kv.get<Run>(RUN) ?? null;
  }

  private save(run: Run): void {
    this.kv.put(RUN, run);
    if (isOver(run)) this.kv.delete(ANSWERS);
    this.host.show(runView(run));
  }

  private async facts(): Promise<Facts> {
    const db = database(this.env.DB);
    const id = this.host.conversationId()!;
    const [conversation, row, settings] = await Promise.all([findConversationView(db, id), getConversationRow(db, id), loadSettings(db)]);
    return { contact: conversation?.contact ?? null, defaultCountry: settings.defaultCountry, texts: textsIn(settings, languageOf(settings, row?.locale)) };
  }

  /** Does the effect and says what came of it, for the run's log. What a step cannot do is said, not thrown: the run goes on. */
  private async perform(run: Run, effect: Effect): Promise<Note> {
    try {
      return await this.effects[effect.type](run, effect as never);
    } catch (error) {
      if (error instanceof ApiError) return note("notDone", { reason: error.message });
      throw error;
    }
  }

  private readonly effects: { [T in Effect["type"]]: (run: Run, effect: Extract<Effect, { type: T }>) => Promise<Note> } = {
    send: async (run, effect) => {
      const known = await this.host.message(effect.messageId);
      if (known) {
        // Kept, and maybe handed to the provider, before the room stopped: never handed over again.
        if (known.status !== "queued" || known.channel === "chat") return sentOutcome(known.status, known.statusReason, effect.body);
        await this.host.updateMessage({ id: known.id, status: "failed", statusReason: INTERRUPTED }, known);
        return note("interrupted");
      }
      const sent = await sendReply(this.env, {
        conversationId: this.host.conversationId()!,
        channel: run.channel,
        body: effect.body,
        id: effect.messageId,
        bot: { id: run.workflowId, name: BOT_NAME },
      });
      return sentOutcome(sent.status, sent.statusReason, effect.body);
    },
    save: async (_run, effect) => this.saveAnswer(effect.field, effect.value),
    tag: async (_run, effect) => {
      const contact = await this.contact();
      if (!contact) return note("notTagged", { tag: effect.tag });
      if (contact.tags.includes(effect.tag)) return note("tagged", { tag: effect.tag });
      const tagged = await updateContact(database(this.env.DB), contact.id, { tags: [...contact.tags, effect.tag] });
      await publishEvent(this.env, "contact.updated", { contact: contactView(tagged) });
      return note("tagged", { tag: effect.tag });
    },
    assign: async (run, effect) => {
      const conversation = (await findConversationView(database(this.env.DB), this.host.conversationId()!))!;
      const user = effect.to === "round-robin" ? await nextOnline(this.env, conversation) : await requireActiveUser(database(this.env.DB), effect.to.userId, "userId");
      if (!user) return note("nobodyOnline");
      await assignAndTell(this.env, conversation.id, user, { viewer: SYSTEM_VIEWER, by: `workflow:${run.workflowId}` });
      return note("assigned", { name: user.name, roundRobin: effect.to === "round-robin" });
    },
    complete: async (run) => {
      await actAndTell(this.env, this.host.conversationId()!, "complete", `workflow:${run.workflowId}`);
      return note("completed");
    },
  };

  /**
   * An answer saved as the step says. An email or phone is a claim: it names the person of an
   * anonymous conversation, never changes a contact. A text answer fills a field still empty.
   */
  private async saveAnswer(field: string, value: string): Promise<Note> {
    const db = database(this.env.DB);
    const conversationId = this.host.conversationId()!;
    if (field === "email" || field === "phone") {
      const claimed = await claimPerson(db, conversationId, field === "email" ? emailIdentity(value) : phoneIdentity(value));
      if (!claimed) return note("claimKept", { field });
      await announceState(this.env, conversationId);
      return note("claimLinked", { field });
    }
    const contact = await this.contact();
    if (!contact) return note("keptNoContact", { field });
    if (fieldValue(contactView(contact), field) !== null) return note("keptFieldSet", { field });
    const custom = field.startsWith("custom.") ? field.slice("custom.".length) : null;
    const saved = await updateContact(db, contact.id, custom ? { customFields: { [custom]: value } } : { [field]: value });
    await publishEvent(this.env, "contact.updated", { contact: contactView(saved) });
    return note("saved", { field: custom ?? field });
  }

  private async contact() {
    const conversation = await findConversationView(database(this.env.DB), this.host.conversationId()!);
    return conversation?.contact ? getContactRow(database(this.env.DB), conversation.contact.id) : null;
  }
}

function sentOutcome(status: Message["status"], reason: string | null, body: string): Note {
  return status === "failed" ? note("notSent", { reason }) : note("sent", { body: clip(body) });
}

/** The run as agents read it. */
export function runView(run: Run): RunView {
  return {
    id: run.id,
    workflowId: run.workflowId,
    workflowName: run.workflowName,
    version: run.version,
    status: run.status,
    step: run.steps[run.at]?.id ?? null,
    until: run.until,
    log: run.log,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
  };
}
