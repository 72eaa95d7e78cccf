// What Parley says on the business's behalf (the widget's greeting and away message, the pre-chat
// intro, the workflow templates' questions, the transcript email), in each language: the admin's
// own words where Settings has them, else these defaults.
import type { Language } from "./languages";
import type { Settings } from "./settings";

export const TEXT_KEYS = [
  "prechatIntro",
  "greeting",
  "awayText",
  "welcome",
  "askEmail",
  "askPhone",
  "reaskEmail",
  "reaskPhone",
  "reaskText",
  "transcriptSubject",
  "transcriptHeader",
  "chatTitle",
] as const;
export type TextKey = (typeof TEXT_KEYS)[number];
export type Texts = Record<TextKey, string>;

export const DEFAULT_TEXTS: Record<Language, Texts> = {
  en: {
    prechatIntro: "Tell us how to reach you, then write your message.",
    greeting: "Hi! How can we help?",
    awayText: "We're away right now. Leave a message and we'll get back to you by email.",
    welcome: "Hi! Thanks for getting in touch. Someone from the team will be with you shortly.",
    askEmail: "So we can follow up if we get cut off, what is your email address? (Type skip to go on without it.)",
    askPhone: "So we can follow up if we get cut off, what is your phone number, with the country code? (Type skip to go on without it.)",
    reaskEmail: "That doesn't look like an email address. Could you type it again (like name@example.com), or type skip?",
    reaskPhone: "That doesn't look like a phone number. Could you type it again with the country code (like +44 20 7946 0958), or type skip?",
    reaskText: "Sorry, I didn't get that. Could you type your answer, or type skip?",
    transcriptSubject: "Transcript of your chat with {team}",
    transcriptHeader: "Here is the transcript of your chat with {team}.",
    chatTitle: "Your chat with {team}",
  },
  it: {
    prechatIntro: "Dicci come contattarti, poi scrivi il tuo messaggio.",
    greeting: "Ciao! Come possiamo aiutarti?",
    awayText: "Al momento non ci siamo. Lascia un messaggio e ti risponderemo via email.",
    welcome: "Ciao! Grazie per averci contattato. Qualcuno del team ti risponderà a breve.",
    askEmail: "Così possiamo ricontattarti se la conversazione si interrompe: qual è il tuo indirizzo email? (Scrivi salta per continuare senza.)",
    askPhone: "Così possiamo ricontattarti se la conversazione si interrompe: qual è il tuo numero di telefono, con il prefisso internazionale? (Scrivi salta per continuare senza.)",
    reaskEmail: "Non sembra un indirizzo email. Puoi riscriverlo (ad esempio nome@example.com) oppure scrivere salta?",
    reaskPhone: "Non sembra un numero di telefono. Puoi riscriverlo con il prefisso internazionale (ad esempio +39 02 1234 5678) oppure scrivere salta?",
    reaskText: "Scusa, non ho capito. Puoi scrivere la tua risposta oppure scrivere salta?",
    transcriptSubject: "Trascrizione della tua chat con {team}",
    transcriptHeader: "Ecco la trascrizione della tua chat con {team}.",
    chatTitle: "La tua chat con {team}",
  },
  de: {
    prechatIntro: "Sagen Sie uns, wie wir Sie erreichen, und schreiben Sie dann Ihre Nachricht.",
    greeting: "Hallo! Wie können wir helfen?",
    awayText: "Wir sind gerade nicht da. Hinterlassen Sie eine Nachricht, wir antworten Ihnen per E-Mail.",
    welcome: "Hallo! Danke für Ihre Nachricht. Gleich meldet sich jemand aus dem Team bei Ihnen.",
    askEmail: "Damit wir uns melden können, falls die Verbindung abbricht: Wie lautet Ihre E-Mail-Adresse? (Schreiben Sie überspringen, um ohne sie weiterzumachen.)",
    askPhone: "Damit wir uns melden können, falls die Verbindung abbricht: Wie lautet Ihre Telefonnummer mit Ländervorwahl? (Schreiben Sie überspringen, um ohne sie weiterzumachen.)",
    reaskEmail: "Das sieht nicht nach einer E-Mail-Adresse aus. Können Sie sie noch einmal eingeben (etwa name@example.com) oder überspringen schreiben?",
    reaskPhone: "Das sieht nicht nach einer Telefonnummer aus. Können Sie sie noch einmal mit Ländervorwahl eingeben (etwa +49 30 1234567) oder überspringen schreiben?",
    reaskText: "Entschuldigung, das habe ich nicht verstanden. Können Sie Ihre Antwort eingeben oder überspringen schreiben?",
    transcriptSubject: "Verlauf Ihres Chats mit {team}",
    transcriptHeader: "Hier ist der Verlauf Ihres Chats mit {team}.",
    chatTitle: "Ihr Chat mit {team}",
  },
  ru: {
    prechatIntro: "Расскажите, как с вами связаться, и напишите сообщение.",
    greeting: "Здравствуйте! Чем можем помочь?",
    awayText: "Сейчас нас нет на месте. Оставьте сообщение, и мы ответим вам по электронной почте.",
    welcome: "Здравствуйте! Спасибо, что написали. Скоро вам ответит кто-нибудь из команды.",
    askEmail: "Чтобы мы могли связаться с вами, если разговор прервётся: какой у вас адрес электронной почты? (Напишите пропустить, чтобы продолжить без него.)",
    askPhone: "Чтобы мы могли связаться с вами, если разговор прервётся: какой у вас номер телефона с кодом страны? (Напишите пропустить, чтобы продолжить без него.)",
    reaskEmail: "Это не похоже на адрес электронной почты. Введите его ещё раз (например, name@example.com) или напишите пропустить.",
    reaskPhone: "Это не похоже на номер телефона. Введите его ещё раз с кодом страны (например, +7 495 123-45-67) или напишите пропустить.",
    reaskText: "Извините, я не понял. Напишите ответ или напишите пропустить.",
    transcriptSubject: "Запись вашего чата с {team}",
    transcriptHeader: "Вот запись вашего чата с {team}.",
    chatTitle: "Ваш чат с {team}",
  },
  es: {
    prechatIntro: "Dinos cómo contactarte y luego escribe tu mensaje.",
    greeting: "¡Hola! ¿En qué podemos ayudarte?",
    awayText: "Ahora mismo no estamos. Deja un mensaje y te responderemos por correo electrónico.",
    welcome: "¡Hola! Gracias por escribirnos. Alguien del equipo te atenderá en breve.",
    askEmail: "Para poder contactarte si se corta la conversación, ¿cuál es tu correo electrónico? (Escribe omitir para seguir sin él).",
    askPhone: "Para poder contactarte si se corta la conversación, ¿cuál es tu número de teléfono, con el prefijo del país? (Escribe omitir para seguir sin él).",
    reaskEmail: "Eso no parece un correo electrónico. ¿Puedes escribirlo de nuevo (como nombre@example.com) o escribir omitir?",
    reaskPhone: "Eso no parece un número de teléfono. ¿Puedes escribirlo de nuevo con el prefijo del país (como +34 912 345 678) o escribir omitir?",
    reaskText: "Perdona, no lo he entendido. ¿Puedes escribir tu respuesta o escribir omitir?",
    transcriptSubject: "Transcripción de tu chat con {team}",
    transcriptHeader: "Aquí tienes la transcripción de tu chat con {team}.",
    chatTitle: "Tu chat con {team}",
  },
  fr: {
    prechatIntro: "Dites-nous comment vous joindre, puis écrivez votre message.",
    greeting: "Bonjour ! Comment pouvons-nous vous aider ?",
    awayText: "Nous sommes absents pour le moment. Laissez un message et nous vous répondrons par e-mail.",
    welcome: "Bonjour ! Merci de nous avoir écrit. Quelqu’un de l’équipe va vous répondre dans un instant.",
    askEmail: "Pour pouvoir vous recontacter si la conversation est coupée, quelle est votre adresse e-mail ? (Tapez passer pour continuer sans.)",
    askPhone: "Pour pouvoir vous recontacter si la conversation est coupée, quel est votre numéro de téléphone, avec l’indicatif du pays ? (Tapez passer pour continuer sans.)",
    reaskEmail: "Cela ne ressemble pas à une adresse e-mail. Pouvez-vous la retaper (par exemple nom@example.com) ou taper passer ?",
    reaskPhone: "Cela ne ressemble pas à un numéro de téléphone. Pouvez-vous le retaper avec l’indicatif du pays (par exemple +33 1 23 45 67 89) ou taper passer ?",
    reaskText: "Désolé, je n’ai pas compris. Pouvez-vous taper votre réponse ou taper passer ?",
    transcriptSubject: "Transcription de votre chat avec {team}",
    transcriptHeader: "Voici la transcription de votre chat avec {team}.",
    chatTitle: "Votre chat avec {team}",
  },
  pt: {
    prechatIntro: "Diga-nos como o podemos contactar e depois escreva a sua mensagem.",
    greeting: "Olá! Como podemos ajudar?",
    awayText: "De momento não estamos disponíveis. Deixe uma mensagem e responderemos por email.",
    welcome: "Olá! Obrigado pelo contacto. Alguém da equipa vai responder-lhe em breve.",
    askEmail: "Para o podermos contactar se a conversa for interrompida, qual é o seu endereço de email? (Escreva saltar para continuar sem ele.)",
    askPhone: "Para o podermos contactar se a conversa for interrompida, qual é o seu número de telefone, com o indicativo do país? (Escreva saltar para continuar sem ele.)",
    reaskEmail: "Isso não parece um endereço de email. Pode escrevê-lo novamente (por exemplo nome@example.com) ou escrever saltar?",
    reaskPhone: "Isso não parece um número de telefone. Pode escrevê-lo novamente com o indicativo do país (por exemplo +351 21 234 5678) ou escrever saltar?",
    reaskText: "Desculpe, não percebi. Pode escrever a sua resposta ou escrever saltar?",
    transcriptSubject: "Transcrição do seu chat com {team}",
    transcriptHeader: "Aqui está a transcrição do seu chat com {team}.",
    chatTitle: "O seu chat com {team}",
  },
};

/** The word each language's questions tell people to type to go on without answering. */
export const SKIP_WORDS: ReadonlySet<string> = new Set(["skip", "salta", "überspringen", "пропустить", "omitir", "passer", "saltar", "pular"]);

/** Appearance holds the greeting and away text in the workspace's own language. */
const IN_APPEARANCE = new Set<TextKey>(["greeting", "awayText"]);

/** The language to speak to a person in: the one they wrote from, else the workspace's. */
export const languageOf = (settings: Settings, spoken: Language | null | undefined): Language => spoken ?? settings.locale;

/** `key` in `language`: the admin's text for it, else the built-in one; `{team}` filled. */
export function businessText(settings: Settings, language: Language, key: TextKey, team = ""): string {
  const own = settings.texts[language]?.[key] || (IN_APPEARANCE.has(key) && language === settings.locale ? settings.appearance[key as "greeting" | "awayText"] : "");
  return (own || DEFAULT_TEXTS[language][key]).replaceAll("{team}", team);
}

/** Every text in `language`, as `businessText` gives each. */
export function textsIn(settings: Settings, language: Language): Texts {
  return Object.fromEntries(TEXT_KEYS.map((key) => [key, businessText(settings, language, key)])) as Texts;
}
