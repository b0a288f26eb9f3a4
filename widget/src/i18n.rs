//! The widget's words in English, French, German, Spanish and Arabic (right to left).

pub use nimchat_shared::locale::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    OpenChat,
    CloseChat,
    Online,
    Offline,
    ReplyInMinutes,
    ReplyInHours,
    ReplyInADay,
    TypeMessage,
    Send,
    Typing,
    Resolved,
    StartNew,
    ErrorNetwork,
    ErrorTooFast,
    ErrorGeneric,
    NotAvailableHere,
    Conversation,
    /// `{n}` is the visitor's place (see [`fill`]).
    QueuePosition,
    /// `{n}` is the seconds the edge asked the visitor to wait.
    ErrorTooFastWait,
    NotSent,
    Retry,
    Reconnecting,
    NewMessages,
    EarlierConversations,
    AttachFile,
    /// `{n}` is the edge's reason, in its words.
    FileRefused,
}

/// Words that only the parts few visitors meet say (the survey, the pre-chat form, the e-mail
/// capture, forms; `crate::lazy`): their translations live in the parts' wasm chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKey {
    /// A file on its way (the progress bar's name).
    Uploading,
    RateTitle,
    Feedback,
    Submit,
    ThanksRating,
    StartChat,
    FullName,
    Email,
    Phone,
    Required,
    InvalidEmail,
    InvalidPhone,
    MessageRequired,
    /// Asked while nobody is there to answer.
    LeaveEmail,
    /// `{n}` is when the team is back, in the visitor's words for a day and time.
    BackAt,
    Save,
    /// `{n}` is the visitor's e-mail address.
    WillReplyTo,
}

/// A sentence with its `{n}` replaced by `n` (splitting at single characters: a substring
/// search would weigh more in the wasm).
pub fn fill(sentence: &str, n: impl std::fmt::Display) -> String {
    fill_in(sentence, &n.to_string())
}

/// [`fill`] with words.
pub fn fill_in(sentence: &str, words: &str) -> String {
    match sentence
        .split_once('{')
        .and_then(|(before, rest)| Some((before, rest.split_once('}')?.1)))
    {
        Some((before, after)) => [before, words, after].concat(),
        None => sentence.to_string(),
    }
}

/// A word in this language.
pub fn t(locale: Locale, key: Key) -> &'static str {
    use Key::*;
    let [en, fr, de, es, ar] = match key {
        OpenChat => [
            "Open chat",
            "Ouvrir le chat",
            "Chat öffnen",
            "Abrir el chat",
            "افتح المحادثة",
        ],
        CloseChat => [
            "Close chat",
            "Fermer le chat",
            "Chat schließen",
            "Cerrar el chat",
            "أغلق المحادثة",
        ],
        Online => [
            "We are online",
            "Nous sommes en ligne",
            "Wir sind online",
            "Estamos en línea",
            "نحن متصلون",
        ],
        Offline => [
            "We are away",
            "Nous sommes absents",
            "Wir sind gerade nicht da",
            "Estamos ausentes",
            "نحن غير متاحين الآن",
        ],
        ReplyInMinutes => [
            "Typically replies in a few minutes",
            "Répond en général en quelques minutes",
            "Antwortet meist in wenigen Minuten",
            "Suele responder en unos minutos",
            "نرد عادة خلال دقائق",
        ],
        ReplyInHours => [
            "Typically replies in a few hours",
            "Répond en général en quelques heures",
            "Antwortet meist in wenigen Stunden",
            "Suele responder en unas horas",
            "نرد عادة خلال ساعات",
        ],
        ReplyInADay => [
            "Typically replies in a day",
            "Répond en général sous un jour",
            "Antwortet meist innerhalb eines Tages",
            "Suele responder en un día",
            "نرد عادة خلال يوم",
        ],
        TypeMessage => [
            "Type your message…",
            "Écrivez votre message…",
            "Nachricht schreiben…",
            "Escribe tu mensaje…",
            "اكتب رسالتك…",
        ],
        Send => ["Send", "Envoyer", "Senden", "Enviar", "إرسال"],
        Typing => ["is typing…", "écrit…", "schreibt…", "está escribiendo…", "يكتب…"],
        Resolved => [
            "This conversation was resolved.",
            "Cette conversation est résolue.",
            "Dieses Gespräch ist abgeschlossen.",
            "Esta conversación se resolvió.",
            "تم حل هذه المحادثة.",
        ],
        StartNew => [
            "Start a new conversation",
            "Nouvelle conversation",
            "Neues Gespräch beginnen",
            "Iniciar una conversación nueva",
            "ابدأ محادثة جديدة",
        ],
        ErrorNetwork => [
            "No connection. Your message was not sent; try again.",
            "Pas de connexion. Message non envoyé ; réessayez.",
            "Keine Verbindung. Nachricht nicht gesendet; bitte erneut versuchen.",
            "Sin conexión. El mensaje no se envió; inténtalo de nuevo.",
            "لا يوجد اتصال. لم تُرسل رسالتك؛ حاول مرة أخرى.",
        ],
        ErrorTooFast => [
            "You are sending messages too fast. Please wait a moment.",
            "Vous envoyez trop de messages. Patientez un instant.",
            "Sie senden zu schnell. Bitte warten Sie kurz.",
            "Envías mensajes demasiado rápido. Espera un momento.",
            "أنت ترسل الرسائل بسرعة كبيرة. انتظر قليلًا.",
        ],
        ErrorGeneric => [
            "Something went wrong. Please try again.",
            "Une erreur est survenue. Réessayez.",
            "Etwas ist schiefgelaufen. Bitte erneut versuchen.",
            "Algo salió mal. Inténtalo de nuevo.",
            "حدث خطأ ما. حاول مرة أخرى.",
        ],
        NotAvailableHere => [
            "Chat is not available on this website.",
            "Le chat n’est pas disponible sur ce site.",
            "Der Chat ist auf dieser Website nicht verfügbar.",
            "El chat no está disponible en este sitio web.",
            "الدردشة غير متاحة على هذا الموقع.",
        ],
        Conversation => ["Conversation", "Conversation", "Gespräch", "Conversación", "محادثة"],
        QueuePosition => [
            "You are number {n} in the queue",
            "Vous êtes numéro {n} dans la file d'attente",
            "Sie sind Nummer {n} in der Warteschlange",
            "Es el número {n} en la cola",
            "ترتيبك {n} في قائمة الانتظار",
        ],
        ErrorTooFastWait => [
            "You are sending messages too fast. You can write again in {n} s.",
            "Vous envoyez trop de messages. Vous pourrez réécrire dans {n} s.",
            "Sie senden zu schnell. In {n} s können Sie wieder schreiben.",
            "Envías mensajes demasiado rápido. Podrás escribir de nuevo en {n} s.",
            "أنت ترسل الرسائل بسرعة كبيرة. يمكنك الكتابة مجددًا بعد {n} ثانية.",
        ],
        NotSent => ["Not sent", "Non envoyé", "Nicht gesendet", "No enviado", "لم تُرسل"],
        Retry => ["Retry", "Réessayer", "Erneut senden", "Reintentar", "أعد المحاولة"],
        Reconnecting => [
            "Connection lost. Reconnecting…",
            "Connexion perdue. Reconnexion…",
            "Verbindung verloren. Neuer Versuch…",
            "Conexión perdida. Reconectando…",
            "انقطع الاتصال. جارٍ إعادة الاتصال…",
        ],
        NewMessages => [
            "New messages",
            "Nouveaux messages",
            "Neue Nachrichten",
            "Mensajes nuevos",
            "رسائل جديدة",
        ],
        EarlierConversations => [
            "Earlier conversations",
            "Conversations précédentes",
            "Frühere Unterhaltungen",
            "Conversaciones anteriores",
            "المحادثات السابقة",
        ],
        AttachFile => [
            "Attach a file",
            "Joindre un fichier",
            "Datei anhängen",
            "Adjuntar un archivo",
            "أرفق ملفًا",
        ],
        FileRefused => [
            "Not sent: {n}",
            "Non envoyé : {n}",
            "Nicht gesendet: {n}",
            "No enviado: {n}",
            "لم يُرسل: {n}",
        ],
    };
    locale.pick([en, fr, de, es, ar])
}

/// A word of the parts in this language.
pub fn part_t(locale: Locale, key: PartKey) -> &'static str {
    use PartKey::*;
    let [en, fr, de, es, ar] = match key {
        Uploading => ["Sending", "Envoi", "Wird gesendet", "Enviando", "جارٍ الإرسال"],
        RateTitle => [
            "How was this conversation?",
            "Comment s'est passée cette conversation ?",
            "Wie war dieses Gespräch?",
            "¿Qué tal esta conversación?",
            "كيف كانت هذه المحادثة؟",
        ],
        Feedback => [
            "Tell us more (optional)",
            "Dites-nous en plus (facultatif)",
            "Erzählen Sie mehr (optional)",
            "Cuéntanos más (opcional)",
            "أخبرنا بالمزيد (اختياري)",
        ],
        Submit => ["Submit", "Envoyer", "Absenden", "Enviar", "إرسال"],
        ThanksRating => [
            "Thank you for your feedback!",
            "Merci pour votre avis !",
            "Danke für Ihr Feedback!",
            "¡Gracias por tu opinión!",
            "شكرًا على ملاحظاتك!",
        ],
        StartChat => [
            "Start conversation",
            "Commencer",
            "Gespräch beginnen",
            "Iniciar conversación",
            "ابدأ المحادثة",
        ],
        FullName => [
            "Full name",
            "Nom complet",
            "Vollständiger Name",
            "Nombre completo",
            "الاسم الكامل",
        ],
        Email => ["Email", "E-mail", "E-Mail", "Correo electrónico", "البريد الإلكتروني"],
        Phone => ["Phone number", "Téléphone", "Telefonnummer", "Teléfono", "رقم الهاتف"],
        Required => [
            "Please fill in this field.",
            "Veuillez remplir ce champ.",
            "Bitte füllen Sie dieses Feld aus.",
            "Rellena este campo.",
            "يرجى ملء هذا الحقل.",
        ],
        InvalidEmail => [
            "Please enter a valid email address.",
            "Adresse e-mail invalide.",
            "Bitte eine gültige E-Mail-Adresse eingeben.",
            "Introduce un correo válido.",
            "أدخل بريدًا إلكترونيًا صالحًا.",
        ],
        InvalidPhone => [
            "Use the international format, like +14155552671.",
            "Format international, par ex. +33612345678.",
            "Internationales Format, z. B. +4915112345678.",
            "Formato internacional, p. ej. +34612345678.",
            "استخدم الصيغة الدولية مثل ‎+14155552671.",
        ],
        MessageRequired => [
            "Please write your message.",
            "Veuillez écrire votre message.",
            "Bitte schreiben Sie Ihre Nachricht.",
            "Escribe tu mensaje.",
            "يرجى كتابة رسالتك.",
        ],
        LeaveEmail => [
            "Leave your e-mail and we will answer you there.",
            "Laissez votre e-mail et nous vous y répondrons.",
            "Hinterlassen Sie Ihre E-Mail, wir antworten Ihnen dort.",
            "Déjanos tu correo y te responderemos allí.",
            "اترك بريدك الإلكتروني وسنرد عليك هناك.",
        ],
        BackAt => [
            "We are back {n}.",
            "Nous revenons {n}.",
            "Wir sind zurück: {n}.",
            "Volvemos {n}.",
            "نعود {n}.",
        ],
        Save => ["Save", "Enregistrer", "Speichern", "Guardar", "حفظ"],
        WillReplyTo => [
            "We will answer you at {n}.",
            "Nous vous répondrons à {n}.",
            "Wir antworten Ihnen an {n}.",
            "Te responderemos en {n}.",
            "سنرد عليك على {n}.",
        ],
    };
    locale.pick([en, fr, de, es, ar])
}

/// A key to words in the visitor's language.
pub trait Words: Copy + Send + Sync + 'static {
    fn in_language(self, locale: Locale) -> &'static str;
}

impl Words for Key {
    fn in_language(self, locale: Locale) -> &'static str {
        t(locale, self)
    }
}

impl Words for PartKey {
    fn in_language(self, locale: Locale) -> &'static str {
        part_t(locale, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_fills_the_sentence() {
        assert_eq!(
            fill("You are number {n} in the queue", 3),
            "You are number 3 in the queue"
        );
        assert_eq!(fill("{n}", 12), "12");
        assert_eq!(fill("no place", 1), "no place");
    }

    #[test]
    fn arabic_is_translated() {
        assert_ne!(t(Locale::Ar, Key::Send), t(Locale::En, Key::Send));
    }
}
