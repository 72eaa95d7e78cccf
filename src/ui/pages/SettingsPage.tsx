// Workspace settings, for admins: one tab a concern, each its own file under settings/.
import { Tabs } from "../components";
import { t } from "../i18n";
import { navigate } from "../router";
import { AppearanceSettings } from "../settings/AppearanceSettings";
import { AssistantSettings } from "../settings/AssistantSettings";
import { AuditLog } from "../settings/AuditLog";
import { MessengerSettings, SmsSettings } from "../settings/ChannelSettings";
import { ChatFormSettings } from "../settings/ChatFormSettings";
import { EmbedSnippet } from "../settings/EmbedSnippet";
import { IdentitySettings } from "../settings/IdentitySettings";
import { SavedResponseSettings } from "../settings/SavedResponseSettings";
import { TextsSettings } from "../settings/TextsSettings";
import { TokenSettings } from "../settings/TokenSettings";
import { UserSettings } from "../settings/UserSettings";
import { WebhookSettings } from "../settings/WebhookSettings";
import { WorkflowSettings } from "../settings/WorkflowSettings";

/** Each tab: its address, the catalogue key of its name, and its panel. */
const TABS = [
  { id: "chat-form", label: "settings.tabChatForm", Panel: ChatFormSettings },
  { id: "appearance", label: "appearance.tabAppearance", Panel: AppearanceSettings },
  { id: "texts", label: "appearance.tabTexts", Panel: TextsSettings },
  { id: "saved-responses", label: "settings.tabSavedResponses", Panel: SavedResponseSettings },
  { id: "assistant", label: "settings.tabAssistant", Panel: AssistantSettings },
  { id: "workflows", label: "settings.tabWorkflows", Panel: WorkflowSettings },
  { id: "messenger", label: "settings.tabMessenger", Panel: MessengerSettings },
  { id: "sms", label: "settings.tabSms", Panel: SmsSettings },
  { id: "users", label: "settings.tabUsers", Panel: UserSettings },
  { id: "tokens", label: "settings.tabTokens", Panel: TokenSettings },
  { id: "webhooks", label: "settings.tabWebhooks", Panel: WebhookSettings },
  { id: "identity", label: "settings.tabIdentity", Panel: IdentitySettings },
  { id: "embed", label: "settings.tabEmbed", Panel: EmbedSnippet },
  { id: "audit", label: "settings.tabAudit", Panel: AuditLog },
] as const;
type TabId = (typeof TABS)[number]["id"];

export function SettingsPage({ tab }: { tab: string }) {
  const current = TABS.find((each) => each.id === tab) ?? TABS[0];
  const select = (id: TabId) => navigate(`/settings/${id}`, { replace: true });
  const tabs = TABS.map((each) => ({ id: each.id, label: t(each.label) }));
  return (
    <section class="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <Tabs label={t("settings.title")} tabs={tabs} current={current.id} onSelect={select}>
        <current.Panel />
      </Tabs>
    </section>
  );
}
