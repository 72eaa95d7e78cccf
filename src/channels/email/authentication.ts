// Whether a mail's From is proven, as far as mail can prove it: what Cloudflare's mail servers
// recorded when they took the mail in. Email Routing puts its verdict on top of the mail as
//   ARC-Authentication-Results: i=1; mx.cloudflare.net; dkim=pass header.d=example.com ...;
//     dmarc=pass header.from=example.com ...; spf=pass (...) smtp.mailfrom=bounces@example.com
// Only the topmost such header is Cloudflare's: any below it came inside the mail, and anyone can
// write one. A From without a passing, aligned verdict is only a claim of who wrote.

export type MailHeader = { key: string; value: string };

const RECEIVING_SERVER = "mx.cloudflare.net";

type Verdict = { method: string; result: string; props: Map<string, string> };

export function fromIsAuthenticated(headers: MailHeader[], fromAddress: string): boolean {
  const recorded = headers.find((h) => h.key.toLowerCase() === "arc-authentication-results");
  const verdicts = recorded ? cloudflareVerdicts(recorded.value) : null;
  if (!verdicts) return false;
  const domain = domainOf(fromAddress);
  if (!domain) return false;
  const passed = (method: string, prop: string) => verdicts.some((v) => v.method === method && v.result === "pass" && aligned(domain, domainOf(v.props.get(prop) ?? "")));
  if (passed("dmarc", "header.from")) return true;
  // A domain that publishes no DMARC policy is still proven by a signature or a sending server of its own.
  if (verdicts.some((v) => v.method === "dmarc" && v.result !== "none")) return false;
  return passed("dkim", "header.d") || passed("spf", "smtp.mailfrom");
}

/** The results in an ARC-Authentication-Results value, when it is Cloudflare's; null otherwise. */
function cloudflareVerdicts(value: string): Verdict[] | null {
  // Comments in parentheses explain a result; they may hold ";" and carry no verdict.
  const clauses = value
    .replace(/\([^()]*\)/g, " ")
    .split(";")
    .map((c) => c.trim())
    .filter(Boolean);
  const [instance, server, ...results] = clauses;
  if (!instance || !/^i=\d+$/i.test(instance) || server?.toLowerCase() !== RECEIVING_SERVER) return null;
  return results.map((clause) => {
    const [verdict = "", ...props] = clause.split(/\s+/);
    const [method = "", result = ""] = verdict.toLowerCase().split("=");
    return { method, result, props: new Map(props.map((p) => p.split("=", 2).map((s) => s.toLowerCase()) as [string, string])) };
  });
}

function domainOf(addressOrDomain: string): string {
  return addressOrDomain
    .slice(addressOrDomain.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
}

/** Relaxed alignment (RFC 7489): one domain is the other or a subdomain of it. */
function aligned(fromDomain: string, provenDomain: string): boolean {
  if (!provenDomain) return false;
  return fromDomain === provenDomain || fromDomain.endsWith(`.${provenDomain}`) || provenDomain.endsWith(`.${fromDomain}`);
}
