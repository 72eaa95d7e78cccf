// Workspace settings, for admins: one tab a concern, each its own file under settings/.
import { Tabs } from "../components";
import { navigate } from "../router";
import { AssistantSettings } from "../settings/AssistantSettings";
import { AuditLog } from "../settings/AuditLog";
import { MessengerSettings, SmsSettings } from "../settings/ChannelSettings";
import { ChatFormSettings } from "../settings/ChatFormSettings";
import { EmbedSnippet } from "../settings/EmbedSnippet";
import { IdentitySettings } from "../settings/IdentitySettings";
import { SavedResponseSettings } from "../settings/SavedResponseSettings";
import { TokenSettings } from "../settings/TokenSettings";
import { UserSettings } from "../settings/UserSettings";
import { WebhookSettings } from "../settings/WebhookSettings";
import { WorkflowSettings } from "../settings/WorkflowSettings";

const TABS = [
  { id: "chat-form", label: "Chat form", Panel: ChatFormSettings },
  { id: "saved-responses", label: "Saved responses", Panel: SavedResponseSettings },
  { id: "assistant", label: "Assistant", Panel: AssistantSettings },
  { id: "workflows", label: "Workflows", Panel: WorkflowSettings },
  { id: "messenger", label: "Messenger", Panel: MessengerSettings },
  { id: "sms", label: "SMS", Panel: SmsSettings },
  { id: "users", label: "Users", Panel: UserSettings },
  { id: "tokens", label: "API tokens", Panel: TokenSettings },
  { id: "webhooks", label: "Webhooks", Panel: WebhookSettings },
  { id: "identity", label: "Identity", Panel: IdentitySettings },
  { id: "embed", label: "Embed", Panel: EmbedSnippet },
  { id: "audit", label: "Audit log", Panel: AuditLog },
] as const;
type TabId = (typeof TABS)[number]["id"];

export function SettingsPage({ tab }: { tab: string }) {
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  const select = (id: TabId) => navigate(`/settings/${id}`, { replace: true });
  return (
    <section class="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Tabs label="Settings" tabs={TABS} current={current.id} onSelect={select}>
        <current.Panel />
      </Tabs>
    </section>
  );
}
