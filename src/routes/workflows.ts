// Admins' workflows (a trigger and steps, kept as data), and the run a conversation had, for agents.
import { z } from "zod";
import { database } from "../db/client";
import type { Db } from "../db/client";
import { requireConversation } from "../domain/conversations";
import { loadSettings } from "../domain/settings";
import { textsIn } from "../domain/texts";
import { requireActiveUser } from "../domain/users";
import { createWorkflow, deleteWorkflow, fromTemplate, getWorkflow, listWorkflows, TEMPLATES, updateWorkflow, WorkflowFields, WorkflowSchema, type Step } from "../domain/workflows";
import { ApiRouter } from "../http/router";
import { conversationRoom } from "../realtime/notify";
import { RunSchema } from "../wire";
import { Ok } from "./schemas";

export const workflowRoutes = new ApiRouter("/api");

/** A workflow's fields, or a ready template with any of them changed. */
const NewWorkflow = WorkflowFields.partial()
  .extend({ template: z.enum(TEMPLATES).optional() })
  .strict()
  .superRefine((body, ctx) => {
    if (body.template) return;
    for (const key of ["name", "trigger", "steps"] as const) {
      if (body[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: "Give this, or start from a template." });
    }
  })
  // The refinement, as the OpenAPI document says it.
  .meta({ anyOf: [{ required: ["template"] }, { required: ["name", "trigger", "steps"] }] });

/** A step that assigns to a named teammate names one who can be assigned now. */
async function checkAssignees(db: Db, steps: Step[] | undefined) {
  for (const [i, step] of (steps ?? []).entries()) {
    if (step.type === "assign" && step.to !== "round-robin") await requireActiveUser(db, step.to.userId, `steps.${i}.to.userId`);
  }
}

workflowRoutes.get(
  "/workflows",
  {
    summary: "Workflows, oldest first: the oldest enabled one listening on a channel is the one a new conversation there runs",
    access: "admin",
    response: z.object({ items: z.array(WorkflowSchema) }),
  },
  async (c) => c.json({ items: await listWorkflows(database(c.env.DB)) }),
);

workflowRoutes.post(
  "/workflows",
  {
    summary: `Create a workflow from its trigger and steps, or from a ready template (enabled, unless changed along with any other field) (${TEMPLATES.join(", ")}). Steps: message, branch (on a contact field, to a later step or the end), ask (an email, a phone or text, re-asked on a bad answer, skipped on "skip" or a timeout), tag, assign (round-robin or a named teammate), complete, wait`,
    access: "admin",
    body: NewWorkflow,
    response: WorkflowSchema,
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const { template, ...given } = body;
    // A template's steps read in the workspace's language; each person still gets them in their own.
    const made = template ? await loadSettings(db).then((settings) => fromTemplate(template, settings.locale, textsIn(settings, settings.locale))) : { enabled: true };
    const fields = { ...made, ...given } as WorkflowFields;
    await checkAssignees(db, fields.steps);
    return c.json(await createWorkflow(db, fields), 201);
  },
);

workflowRoutes.get("/workflows/:id", { summary: "One workflow", access: "admin", response: WorkflowSchema }, async (c, { params }) => c.json(await getWorkflow(database(c.env.DB), params.id!)));

workflowRoutes.patch(
  "/workflows/:id",
  {
    summary: "Change a workflow's name, trigger or steps, or turn it on or off; each change is a new version, and runs under way keep the steps they started with",
    access: "admin",
    body: WorkflowFields.partial().strict(),
    response: WorkflowSchema,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    await checkAssignees(db, body.steps);
    return c.json(await updateWorkflow(db, params.id!, body));
  },
);

workflowRoutes.delete("/workflows/:id", { summary: "Delete a workflow; runs under way finish as they started", access: "admin", response: Ok }, async (c, { params }) => {
  await deleteWorkflow(database(c.env.DB), params.id!);
  return c.json({ ok: true });
});

workflowRoutes.get(
  "/conversations/:id/automation",
  {
    summary: "The workflow run of the conversation: what it sent, asked, was answered, skipped, saved and assigned; null when none ran",
    access: "agent",
    response: z.object({ run: RunSchema.nullable() }),
  },
  async (c, { params }) => {
    await requireConversation(database(c.env.DB), params.id!, c.var.user);
    return c.json({ run: await conversationRoom(c.env, params.id!).automation() });
  },
);
