//! The console's words in the widget's five languages, Arabic right to left. The language is
//! the agent's choice (kept in `localStorage`), else the browser's; choosing one draws the
//! console again.

use std::cell::Cell;

use nimchat_shared::locale::Locale;

/// Where the chosen language is kept between visits.
const LOCALE_KEY: &str = "nimchat.console.locale";

thread_local! {
    static CURRENT: Cell<Locale> = const { Cell::new(Locale::En) };
}

/// The language at start: the agent's earlier choice, else the browser's.
pub fn start() {
    CURRENT.with(|current| current.set(first_locale()));
    mark_document();
}

fn first_locale() -> Locale {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|window| window.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(LOCALE_KEY).ok().flatten());
    let tag = stored.or_else(|| window.and_then(|window| window.navigator().language()));
    tag.map_or_else(Locale::default, |tag| Locale::parse(&tag))
}

pub fn locale() -> Locale {
    CURRENT.with(Cell::get)
}

/// The agent's choice, kept for their next visit.
pub fn choose(locale: Locale) {
    CURRENT.with(|current| current.set(locale));
    if let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten()) {
        let _ = storage.set_item(LOCALE_KEY, locale.tag());
    }
    mark_document();
}

/// The page's `lang` and `dir` follow the language.
pub fn mark_document() {
    let locale = locale();
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
        let _ = root.set_attribute("dir", locale.dir());
    }
}

/// A word in the current language.
pub fn t(key: Key) -> &'static str {
    locale().pick(words(key))
}

/// A conversation status (as the API names it) in the current language.
pub fn status_name(status: &str) -> &'static str {
    t(match status {
        "pending" => Key::StatusPending,
        "snoozed" => Key::StatusSnoozed,
        "resolved" => Key::StatusResolved,
        _ => Key::StatusOpen,
    })
}

/// A sentence with each `{}` replaced by the next of `parts`.
pub fn fill(key: Key, parts: &[&str]) -> String {
    let mut parts = parts.iter();
    let mut pieces = t(key).split("{}");
    let mut sentence = pieces.next().unwrap_or_default().to_string();
    for piece in pieces {
        sentence.push_str(parts.next().copied().unwrap_or_default());
        sentence.push_str(piece);
    }
    sentence
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    SignInTitle,
    Email,
    Password,
    SignIn,
    SignOut,
    ErrorNetwork,
    ErrorSignedOut,
    ErrorCredentials,
    ErrorTooManyWait,
    ErrorTooMany,
    ErrorUnexpected,
    ErrorRefused,
    NoAccount,
    Pages,
    Conversations,
    Settings,
    Dismiss,
    Language,
    TransferAsked,
    Open,
    ChooseConversation,
    Inbox,
    Label,
    Any,
    NewConversation,
    EnableNotifications,
    Mine,
    Unassigned,
    All,
    Queue,
    Whose,
    Status,
    NoConversations,
    Unread,
    WaitingSince,
    TakeWith,
    Take,
    NobodyWaiting,
    StatusOpen,
    StatusPending,
    StatusSnoozed,
    StatusResolved,
    AssignedToYou,
    AssignedTo,
    Resolve,
    Reopen,
    Messages,
    IsTyping,
    PrivateNoteToggle,
    PrivateNote,
    Reply,
    WriteNote,
    WriteReply,
    AddNote,
    Send,
    CannedResponses,
    TransferAskedHere,
    Accept,
    Decline,
    WaitingFor,
    Withdraw,
    TransferTo,
    ChooseColleague,
    Transfer,
    Seen,
    Sent,
    Satisfaction,
    Rated,
    SurveySent,
    Details,
    Conversation,
    Agent,
    Nobody,
    Team,
    NoTeam,
    Priority,
    PriorityNone,
    Urgent,
    High,
    Medium,
    Low,
    Snooze,
    AnHour,
    Tomorrow,
    NextWeek,
    Labels,
    NoLabels,
    Contact,
    Name,
    Phone,
    Tags,
    TagsNone,
    OtherConversations,
    NoneYet,
    Inboxes,
    Agents,
    Teams,
    Webhooks,
    Reports,
    Edit,
    EditNamed,
    Delete,
    DeleteNamed,
    NewInbox,
    EditInbox,
    Website,
    Colour,
    WelcomeTitle,
    WelcomeTagline,
    Greet,
    GreetingMessage,
    AllowedDomains,
    AskRating,
    RequireHmac,
    HmacSecret,
    UseWorkingHours,
    PreChat,
    Save,
    Close,
    Saved,
    WorkingHours,
    Opens,
    Closes,
    PreChatQuestions,
    Ask,
    Required,
    PasteSnippet,
    CopySnippet,
    Copied,
    WebWidget,
    Api,
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    NewAgent,
    Role,
    RoleOf,
    Administrator,
    AddAgent,
    NewTeam,
    Description,
    AutoAssign,
    AddTeam,
    Members,
    NewLabel,
    Title,
    AddLabel,
    ShortCodeHelp,
    NewCanned,
    ShortCode,
    Content,
    AddCanned,
    WebhooksHelp,
    NewWebhook,
    Url,
    Events,
    AddWebhook,
    ReportCaption,
    Metric,
    LastDays,
    Before,
    MessagesReceived,
    MessagesSent,
    Resolutions,
    FirstResponse,
    ResolutionTime,
}

/// `[en, fr, de, es, ar]`.
fn words(key: Key) -> [&'static str; 5] {
    use Key::*;
    match key {
        SignInTitle => [
            "Sign in to nimchat",
            "Connexion à nimchat",
            "Bei nimchat anmelden",
            "Inicia sesión en nimchat",
            "تسجيل الدخول إلى nimchat",
        ],
        Email => ["E-mail", "E-mail", "E-Mail", "Correo electrónico", "البريد الإلكتروني"],
        Password => ["Password", "Mot de passe", "Passwort", "Contraseña", "كلمة المرور"],
        SignIn => ["Sign in", "Se connecter", "Anmelden", "Iniciar sesión", "تسجيل الدخول"],
        SignOut => [
            "Sign out",
            "Se déconnecter",
            "Abmelden",
            "Cerrar sesión",
            "تسجيل الخروج",
        ],
        ErrorNetwork => [
            "The server cannot be reached. Check your connection.",
            "Le serveur est injoignable. Vérifiez votre connexion.",
            "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung.",
            "No se puede contactar con el servidor. Comprueba tu conexión.",
            "تعذّر الوصول إلى الخادم. تحقّق من اتصالك.",
        ],
        ErrorSignedOut => [
            "Your session has ended. Sign in again.",
            "Votre session est terminée. Reconnectez-vous.",
            "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.",
            "Tu sesión ha terminado. Vuelve a iniciar sesión.",
            "انتهت جلستك. سجّل الدخول مرة أخرى.",
        ],
        ErrorCredentials => [
            "Wrong e-mail or password.",
            "E-mail ou mot de passe incorrect.",
            "E-Mail oder Passwort ist falsch.",
            "Correo o contraseña incorrectos.",
            "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
        ],
        ErrorTooManyWait => [
            "Too many attempts. Try again in {} s.",
            "Trop de tentatives. Réessayez dans {} s.",
            "Zu viele Versuche. Versuchen Sie es in {} s erneut.",
            "Demasiados intentos. Inténtalo de nuevo en {} s.",
            "محاولات كثيرة جدًا. حاول مرة أخرى بعد {} ث.",
        ],
        ErrorTooMany => [
            "Too many attempts. Try again in a minute.",
            "Trop de tentatives. Réessayez dans une minute.",
            "Zu viele Versuche. Versuchen Sie es in einer Minute erneut.",
            "Demasiados intentos. Inténtalo de nuevo en un minuto.",
            "محاولات كثيرة جدًا. حاول مرة أخرى بعد دقيقة.",
        ],
        ErrorUnexpected => [
            "The server answered something unexpected.",
            "Le serveur a donné une réponse inattendue.",
            "Der Server hat unerwartet geantwortet.",
            "El servidor respondió algo inesperado.",
            "أرسل الخادم ردًا غير متوقع.",
        ],
        ErrorRefused => [
            "The server refused ({}).",
            "Le serveur a refusé ({}).",
            "Der Server hat abgelehnt ({}).",
            "El servidor lo rechazó ({}).",
            "رفض الخادم الطلب ({}).",
        ],
        NoAccount => [
            "You are not a member of any account.",
            "Vous n'êtes membre d'aucun compte.",
            "Sie sind in keinem Konto Mitglied.",
            "No eres miembro de ninguna cuenta.",
            "لست عضوًا في أي حساب.",
        ],
        Pages => ["Pages", "Pages", "Seiten", "Páginas", "الصفحات"],
        Conversations => [
            "Conversations",
            "Conversations",
            "Unterhaltungen",
            "Conversaciones",
            "المحادثات",
        ],
        Settings => ["Settings", "Réglages", "Einstellungen", "Ajustes", "الإعدادات"],
        Dismiss => ["Dismiss", "Fermer", "Schließen", "Descartar", "إغلاق"],
        Language => ["Language", "Langue", "Sprache", "Idioma", "اللغة"],
        TransferAsked => [
            "{} asks you to take over the conversation with {} (#{}).",
            "{} vous demande de reprendre la conversation avec {} (n° {}).",
            "{} bittet Sie, die Unterhaltung mit {} zu übernehmen (#{}).",
            "{} te pide que te encargues de la conversación con {} (#{}).",
            "يطلب منك {} تولّي المحادثة مع {} (رقم {}).",
        ],
        Open => ["Open", "Ouvrir", "Öffnen", "Abrir", "فتح"],
        Inbox => ["Inbox", "Boîte", "Posteingang", "Bandeja", "صندوق الوارد"],
        Label => ["Label", "Étiquette", "Label", "Etiqueta", "التصنيف"],
        Any => ["Any", "Toutes", "Alle", "Cualquiera", "الكل"],
        NewConversation => [
            "New conversation",
            "Nouvelle conversation",
            "Neue Unterhaltung",
            "Nueva conversación",
            "محادثة جديدة",
        ],
        EnableNotifications => [
            "Enable notifications",
            "Activer les notifications",
            "Benachrichtigungen aktivieren",
            "Activar notificaciones",
            "فعّل الإشعارات",
        ],
        ChooseConversation => [
            "Choose a conversation.",
            "Choisissez une conversation.",
            "Wählen Sie eine Unterhaltung.",
            "Elige una conversación.",
            "اختر محادثة.",
        ],
        Mine => ["Mine", "Les miennes", "Meine", "Mías", "محادثاتي"],
        Unassigned => [
            "Unassigned",
            "Non assignées",
            "Nicht zugewiesen",
            "Sin asignar",
            "غير مسندة",
        ],
        All => ["All", "Toutes", "Alle", "Todas", "الكل"],
        Queue => [
            "Queue ({})",
            "File d'attente ({})",
            "Warteschlange ({})",
            "Cola ({})",
            "قائمة الانتظار ({})",
        ],
        Whose => ["Whose", "À qui", "Wessen", "De quién", "لمن"],
        Status => ["Status", "Statut", "Status", "Estado", "الحالة"],
        NoConversations => [
            "No conversations here.",
            "Aucune conversation ici.",
            "Hier gibt es keine Unterhaltungen.",
            "No hay conversaciones aquí.",
            "لا توجد محادثات هنا.",
        ],
        Unread => [
            "{} unread",
            "{} non lus",
            "{} ungelesen",
            "{} sin leer",
            "{} غير مقروءة",
        ],
        WaitingSince => [
            "Waiting since {}",
            "En attente depuis {}",
            "Wartet seit {}",
            "Esperando desde las {}",
            "ينتظر منذ {}",
        ],
        TakeWith => [
            "Take the conversation with {}",
            "Prendre la conversation avec {}",
            "Unterhaltung mit {} übernehmen",
            "Atender la conversación con {}",
            "تولَّ المحادثة مع {}",
        ],
        Take => ["Take", "Prendre", "Übernehmen", "Atender", "تولَّ"],
        NobodyWaiting => [
            "Nobody is waiting.",
            "Personne n'attend.",
            "Niemand wartet.",
            "Nadie está esperando.",
            "لا أحد ينتظر.",
        ],
        StatusOpen => ["open", "ouverte", "offen", "abierta", "مفتوحة"],
        StatusPending => ["pending", "en suspens", "ausstehend", "pendiente", "معلّقة"],
        StatusSnoozed => ["snoozed", "reportée", "zurückgestellt", "pospuesta", "مؤجلة"],
        StatusResolved => ["resolved", "résolue", "gelöst", "resuelta", "محلولة"],
        AssignedToYou => [
            "Assigned to you",
            "Assignée à vous",
            "Ihnen zugewiesen",
            "Asignada a ti",
            "مسندة إليك",
        ],
        AssignedTo => [
            "Assigned to {}",
            "Assignée à {}",
            "{} zugewiesen",
            "Asignada a {}",
            "مسندة إلى {}",
        ],
        Resolve => ["Resolve", "Résoudre", "Lösen", "Resolver", "حلّ"],
        Reopen => ["Reopen", "Rouvrir", "Wieder öffnen", "Reabrir", "إعادة فتح"],
        Messages => ["Messages", "Messages", "Nachrichten", "Mensajes", "الرسائل"],
        IsTyping => [
            "{} is typing…",
            "{} écrit…",
            "{} schreibt…",
            "{} está escribiendo…",
            "{} يكتب…",
        ],
        PrivateNoteToggle => [
            " Private note (the visitor never sees it)",
            " Note privée (le visiteur ne la voit jamais)",
            " Private Notiz (der Besucher sieht sie nie)",
            " Nota privada (el visitante nunca la ve)",
            " ملاحظة خاصة (لا يراها الزائر أبدًا)",
        ],
        PrivateNote => [
            "Private note",
            "Note privée",
            "Private Notiz",
            "Nota privada",
            "ملاحظة خاصة",
        ],
        Reply => ["Reply", "Réponse", "Antwort", "Respuesta", "الرد"],
        WriteNote => [
            "Write a note for your team (/ for canned responses)",
            "Écrivez une note pour l'équipe (/ pour les réponses types)",
            "Notiz für Ihr Team schreiben (/ für Textbausteine)",
            "Escribe una nota para tu equipo (/ para respuestas predefinidas)",
            "اكتب ملاحظة لفريقك (/ للردود الجاهزة)",
        ],
        WriteReply => [
            "Write a reply (/ for canned responses)",
            "Écrivez une réponse (/ pour les réponses types)",
            "Antwort schreiben (/ für Textbausteine)",
            "Escribe una respuesta (/ para respuestas predefinidas)",
            "اكتب ردًا (/ للردود الجاهزة)",
        ],
        AddNote => [
            "Add note",
            "Ajouter la note",
            "Notiz hinzufügen",
            "Añadir nota",
            "أضف الملاحظة",
        ],
        Send => ["Send", "Envoyer", "Senden", "Enviar", "إرسال"],
        CannedResponses => [
            "Canned responses",
            "Réponses types",
            "Textbausteine",
            "Respuestas predefinidas",
            "الردود الجاهزة",
        ],
        TransferAskedHere => [
            "{} asks you to take over this conversation.",
            "{} vous demande de reprendre cette conversation.",
            "{} bittet Sie, diese Unterhaltung zu übernehmen.",
            "{} te pide que te encargues de esta conversación.",
            "يطلب منك {} تولّي هذه المحادثة.",
        ],
        Accept => ["Accept", "Accepter", "Annehmen", "Aceptar", "قبول"],
        Decline => ["Decline", "Refuser", "Ablehnen", "Rechazar", "رفض"],
        WaitingFor => [
            "Waiting for {} to accept.",
            "En attente de l'accord de {}.",
            "Warten, bis {} annimmt.",
            "Esperando a que {} acepte.",
            "بانتظار قبول {}.",
        ],
        Withdraw => ["Withdraw", "Annuler", "Zurückziehen", "Retirar", "سحب الطلب"],
        TransferTo => [
            "Transfer to",
            "Transférer à",
            "Übergeben an",
            "Transferir a",
            "تحويل إلى",
        ],
        ChooseColleague => [
            "Choose a colleague",
            "Choisissez un collègue",
            "Kollegen wählen",
            "Elige a un compañero",
            "اختر زميلًا",
        ],
        Transfer => ["Transfer", "Transférer", "Übergeben", "Transferir", "تحويل"],
        Seen => ["Seen", "Vu", "Gesehen", "Visto", "شوهدت"],
        Sent => ["Sent", "Envoyé", "Gesendet", "Enviado", "أُرسلت"],
        Satisfaction => ["Satisfaction", "Satisfaction", "Zufriedenheit", "Satisfacción", "الرضا"],
        Rated => [
            "The visitor rated this conversation {} out of 5.",
            "Le visiteur a noté cette conversation {} sur 5.",
            "Der Besucher hat diese Unterhaltung mit {} von 5 bewertet.",
            "El visitante valoró esta conversación con {} de 5.",
            "قيّم الزائر هذه المحادثة بـ {} من 5.",
        ],
        SurveySent => [
            "Satisfaction survey sent; no answer yet.",
            "Enquête de satisfaction envoyée ; pas encore de réponse.",
            "Zufriedenheitsumfrage gesendet; noch keine Antwort.",
            "Encuesta de satisfacción enviada; aún sin respuesta.",
            "أُرسل استبيان الرضا؛ لا رد بعد.",
        ],
        Details => ["Details", "Détails", "Details", "Detalles", "التفاصيل"],
        Conversation => [
            "Conversation",
            "Conversation",
            "Unterhaltung",
            "Conversación",
            "المحادثة",
        ],
        Agent => ["Agent", "Agent", "Agent", "Agente", "الموظف"],
        Nobody => ["Nobody", "Personne", "Niemand", "Nadie", "لا أحد"],
        Team => ["Team", "Équipe", "Team", "Equipo", "الفريق"],
        NoTeam => ["No team", "Aucune équipe", "Kein Team", "Sin equipo", "بلا فريق"],
        Priority => ["Priority", "Priorité", "Priorität", "Prioridad", "الأولوية"],
        PriorityNone => ["None", "Aucune", "Keine", "Ninguna", "بلا"],
        Urgent => ["Urgent", "Urgente", "Dringend", "Urgente", "عاجلة"],
        High => ["High", "Haute", "Hoch", "Alta", "عالية"],
        Medium => ["Medium", "Moyenne", "Mittel", "Media", "متوسطة"],
        Low => ["Low", "Basse", "Niedrig", "Baja", "منخفضة"],
        Snooze => ["Snooze", "Reporter", "Zurückstellen", "Posponer", "تأجيل"],
        AnHour => ["1 hour", "1 heure", "1 Stunde", "1 hora", "ساعة"],
        Tomorrow => ["Tomorrow", "Demain", "Morgen", "Mañana", "غدًا"],
        NextWeek => [
            "Next week",
            "La semaine prochaine",
            "Nächste Woche",
            "La próxima semana",
            "الأسبوع القادم",
        ],
        Labels => ["Labels", "Étiquettes", "Labels", "Etiquetas", "التصنيفات"],
        NoLabels => [
            "No labels yet.",
            "Pas encore d'étiquettes.",
            "Noch keine Labels.",
            "Aún no hay etiquetas.",
            "لا تصنيفات بعد.",
        ],
        Contact => ["Contact", "Contact", "Kontakt", "Contacto", "جهة الاتصال"],
        Name => ["Name", "Nom", "Name", "Nombre", "الاسم"],
        Phone => ["Phone", "Téléphone", "Telefon", "Teléfono", "الهاتف"],
        Tags => [
            "Tags: {}",
            "Étiquettes : {}",
            "Schlagwörter: {}",
            "Etiquetas: {}",
            "الوسوم: {}",
        ],
        TagsNone => ["none", "aucune", "keine", "ninguna", "لا شيء"],
        OtherConversations => [
            "Other conversations",
            "Autres conversations",
            "Andere Unterhaltungen",
            "Otras conversaciones",
            "محادثات أخرى",
        ],
        NoneYet => ["None.", "Aucune.", "Keine.", "Ninguna.", "لا شيء."],
        Inboxes => [
            "Inboxes",
            "Boîtes de réception",
            "Posteingänge",
            "Bandejas de entrada",
            "صناديق الوارد",
        ],
        Agents => ["Agents", "Agents", "Agenten", "Agentes", "الموظفون"],
        Teams => ["Teams", "Équipes", "Teams", "Equipos", "الفرق"],
        Webhooks => ["Webhooks", "Webhooks", "Webhooks", "Webhooks", "خطافات الويب"],
        Reports => ["Reports", "Rapports", "Berichte", "Informes", "التقارير"],
        Edit => ["Edit", "Modifier", "Bearbeiten", "Editar", "تعديل"],
        EditNamed => ["Edit {}", "Modifier {}", "{} bearbeiten", "Editar {}", "تعديل {}"],
        Delete => ["Delete", "Supprimer", "Löschen", "Eliminar", "حذف"],
        DeleteNamed => ["Delete {}", "Supprimer {}", "{} löschen", "Eliminar {}", "حذف {}"],
        NewInbox => [
            "New web-widget inbox",
            "Nouvelle boîte de widget web",
            "Neuer Web-Widget-Posteingang",
            "Nueva bandeja de widget web",
            "صندوق وارد جديد لأداة الموقع",
        ],
        EditInbox => [
            "Edit inbox",
            "Modifier la boîte",
            "Posteingang bearbeiten",
            "Editar bandeja",
            "تعديل صندوق الوارد",
        ],
        Website => ["Website", "Site web", "Website", "Sitio web", "الموقع"],
        Colour => ["Colour", "Couleur", "Farbe", "Color", "اللون"],
        WelcomeTitle => [
            "Welcome title",
            "Titre d'accueil",
            "Begrüßungstitel",
            "Título de bienvenida",
            "عنوان الترحيب",
        ],
        WelcomeTagline => [
            "Welcome tagline",
            "Slogan d'accueil",
            "Begrüßungszeile",
            "Lema de bienvenida",
            "عبارة الترحيب",
        ],
        Greet => [
            "Greet new visitors",
            "Saluer les nouveaux visiteurs",
            "Neue Besucher begrüßen",
            "Saludar a los nuevos visitantes",
            "رحّب بالزوار الجدد",
        ],
        GreetingMessage => [
            "Greeting message",
            "Message d'accueil",
            "Begrüßungsnachricht",
            "Mensaje de saludo",
            "رسالة الترحيب",
        ],
        AllowedDomains => [
            "Allowed domains (comma-separated; empty allows any)",
            "Domaines autorisés (séparés par des virgules ; vide : tous)",
            "Erlaubte Domains (durch Kommas getrennt; leer: alle)",
            "Dominios permitidos (separados por comas; vacío: todos)",
            "النطاقات المسموح بها (مفصولة بفواصل؛ الفارغ يسمح بالكل)",
        ],
        AskRating => [
            "Ask for a rating when a conversation is resolved (CSAT)",
            "Demander une note à la résolution (CSAT)",
            "Nach dem Lösen um eine Bewertung bitten (CSAT)",
            "Pedir una valoración al resolver (CSAT)",
            "اطلب تقييمًا عند حل المحادثة (CSAT)",
        ],
        RequireHmac => [
            "Require verified identities (HMAC)",
            "Exiger des identités vérifiées (HMAC)",
            "Verifizierte Identitäten verlangen (HMAC)",
            "Exigir identidades verificadas (HMAC)",
            "اشترط هويات موثّقة (HMAC)",
        ],
        HmacSecret => [
            "HMAC key for your server: ",
            "Clé HMAC pour votre serveur : ",
            "HMAC-Schlüssel für Ihren Server: ",
            "Clave HMAC para tu servidor: ",
            "مفتاح HMAC لخادمك: ",
        ],
        UseWorkingHours => [
            "Use working hours",
            "Utiliser des horaires",
            "Arbeitszeiten verwenden",
            "Usar horario laboral",
            "استخدم ساعات العمل",
        ],
        PreChat => [
            "Ask visitors a few questions first (pre-chat form)",
            "Poser d'abord quelques questions (formulaire pré-chat)",
            "Besuchern zuerst Fragen stellen (Pre-Chat-Formular)",
            "Hacer primero unas preguntas (formulario previo)",
            "اسأل الزوار بعض الأسئلة أولًا (نموذج ما قبل المحادثة)",
        ],
        Save => ["Save", "Enregistrer", "Speichern", "Guardar", "حفظ"],
        Close => ["Close", "Fermer", "Schließen", "Cerrar", "إغلاق"],
        Saved => ["Saved.", "Enregistré.", "Gespeichert.", "Guardado.", "تم الحفظ."],
        WorkingHours => [
            "Working hours",
            "Horaires",
            "Arbeitszeiten",
            "Horario laboral",
            "ساعات العمل",
        ],
        Opens => ["{} opens", "{} ouverture", "{} öffnet", "{} abre", "{} يفتح"],
        Closes => ["{} closes", "{} fermeture", "{} schließt", "{} cierra", "{} يغلق"],
        PreChatQuestions => [
            "Pre-chat questions",
            "Questions pré-chat",
            "Pre-Chat-Fragen",
            "Preguntas previas",
            "أسئلة ما قبل المحادثة",
        ],
        Ask => ["Ask", "Demander", "Fragen", "Preguntar", "اسأل"],
        Required => ["Required", "Obligatoire", "Pflicht", "Obligatorio", "مطلوب"],
        PasteSnippet => [
            "Paste this before </body> on your site",
            "Collez ceci avant </body> sur votre site",
            "Fügen Sie dies vor </body> Ihrer Website ein",
            "Pega esto antes de </body> en tu sitio",
            "الصق هذا قبل ‎</body>‎ في موقعك",
        ],
        CopySnippet => [
            "Copy snippet",
            "Copier le code",
            "Code kopieren",
            "Copiar código",
            "انسخ الشيفرة",
        ],
        Copied => ["Copied.", "Copié.", "Kopiert.", "Copiado.", "تم النسخ."],
        WebWidget => ["Web widget", "Widget web", "Web-Widget", "Widget web", "أداة الموقع"],
        Api => ["API", "API", "API", "API", "واجهة برمجية"],
        Sunday => ["Sunday", "Dimanche", "Sonntag", "Domingo", "الأحد"],
        Monday => ["Monday", "Lundi", "Montag", "Lunes", "الاثنين"],
        Tuesday => ["Tuesday", "Mardi", "Dienstag", "Martes", "الثلاثاء"],
        Wednesday => ["Wednesday", "Mercredi", "Mittwoch", "Miércoles", "الأربعاء"],
        Thursday => ["Thursday", "Jeudi", "Donnerstag", "Jueves", "الخميس"],
        Friday => ["Friday", "Vendredi", "Freitag", "Viernes", "الجمعة"],
        Saturday => ["Saturday", "Samedi", "Samstag", "Sábado", "السبت"],
        NewAgent => ["New agent", "Nouvel agent", "Neuer Agent", "Nuevo agente", "موظف جديد"],
        Role => ["Role", "Rôle", "Rolle", "Rol", "الدور"],
        RoleOf => ["Role of {}", "Rôle de {}", "Rolle von {}", "Rol de {}", "دور {}"],
        Administrator => [
            "Administrator",
            "Administrateur",
            "Administrator",
            "Administrador",
            "مسؤول",
        ],
        AddAgent => [
            "Add agent",
            "Ajouter l'agent",
            "Agent hinzufügen",
            "Añadir agente",
            "أضف الموظف",
        ],
        NewTeam => ["New team", "Nouvelle équipe", "Neues Team", "Nuevo equipo", "فريق جديد"],
        Description => ["Description", "Description", "Beschreibung", "Descripción", "الوصف"],
        AutoAssign => [
            "Assign its conversations automatically",
            "Assigner ses conversations automatiquement",
            "Unterhaltungen automatisch zuweisen",
            "Asignar sus conversaciones automáticamente",
            "أسند محادثاته تلقائيًا",
        ],
        AddTeam => [
            "Add team",
            "Ajouter l'équipe",
            "Team hinzufügen",
            "Añadir equipo",
            "أضف الفريق",
        ],
        Members => ["Members", "Membres", "Mitglieder", "Miembros", "الأعضاء"],
        NewLabel => [
            "New label",
            "Nouvelle étiquette",
            "Neues Label",
            "Nueva etiqueta",
            "تصنيف جديد",
        ],
        Title => ["Title", "Titre", "Titel", "Título", "العنوان"],
        AddLabel => [
            "Add label",
            "Ajouter l'étiquette",
            "Label hinzufügen",
            "Añadir etiqueta",
            "أضف التصنيف",
        ],
        ShortCodeHelp => [
            "Type / and the short code in a reply to use one.",
            "Tapez / et le code court dans une réponse pour l'utiliser.",
            "Tippen Sie / und das Kürzel in eine Antwort, um ihn zu verwenden.",
            "Escribe / y el código corto en una respuesta para usarla.",
            "اكتب / ثم الرمز المختصر في الرد لاستخدامه.",
        ],
        NewCanned => [
            "New canned response",
            "Nouvelle réponse type",
            "Neuer Textbaustein",
            "Nueva respuesta predefinida",
            "رد جاهز جديد",
        ],
        ShortCode => ["Short code", "Code court", "Kürzel", "Código corto", "الرمز المختصر"],
        Content => ["Content", "Contenu", "Inhalt", "Contenido", "المحتوى"],
        AddCanned => [
            "Add canned response",
            "Ajouter la réponse type",
            "Textbaustein hinzufügen",
            "Añadir respuesta",
            "أضف الرد الجاهز",
        ],
        WebhooksHelp => [
            "Each event is signed as Standard Webhooks describe; failed deliveries are retried.",
            "Chaque événement est signé selon Standard Webhooks ; les envois échoués sont retentés.",
            "Jedes Ereignis ist nach Standard Webhooks signiert; fehlgeschlagene Zustellungen werden wiederholt.",
            "Cada evento se firma según Standard Webhooks; los envíos fallidos se reintentan.",
            "يُوقَّع كل حدث وفق Standard Webhooks؛ ويُعاد إرسال ما فشل.",
        ],
        NewWebhook => [
            "New webhook",
            "Nouveau webhook",
            "Neuer Webhook",
            "Nuevo webhook",
            "خطاف ويب جديد",
        ],
        Url => ["URL", "URL", "URL", "URL", "الرابط"],
        Events => ["Events", "Événements", "Ereignisse", "Eventos", "الأحداث"],
        AddWebhook => [
            "Add webhook",
            "Ajouter le webhook",
            "Webhook hinzufügen",
            "Añadir webhook",
            "أضف خطاف الويب",
        ],
        ReportCaption => [
            "The last 7 days, and the 7 days before",
            "Les 7 derniers jours, et les 7 précédents",
            "Die letzten 7 Tage und die 7 davor",
            "Los últimos 7 días y los 7 anteriores",
            "آخر 7 أيام، والأيام السبعة قبلها",
        ],
        Metric => ["Metric", "Mesure", "Kennzahl", "Métrica", "المقياس"],
        LastDays => [
            "Last 7 days",
            "7 derniers jours",
            "Letzte 7 Tage",
            "Últimos 7 días",
            "آخر 7 أيام",
        ],
        Before => ["Before", "Avant", "Davor", "Antes", "قبلها"],
        MessagesReceived => [
            "Messages received",
            "Messages reçus",
            "Empfangene Nachrichten",
            "Mensajes recibidos",
            "الرسائل الواردة",
        ],
        MessagesSent => [
            "Messages sent",
            "Messages envoyés",
            "Gesendete Nachrichten",
            "Mensajes enviados",
            "الرسائل المرسلة",
        ],
        Resolutions => [
            "Resolutions",
            "Résolutions",
            "Lösungen",
            "Resoluciones",
            "المحادثات المحلولة",
        ],
        FirstResponse => [
            "First response (average)",
            "Première réponse (moyenne)",
            "Erste Antwort (Durchschnitt)",
            "Primera respuesta (media)",
            "أول رد (المتوسط)",
        ],
        ResolutionTime => [
            "Resolution time (average)",
            "Temps de résolution (moyenne)",
            "Lösungszeit (Durchschnitt)",
            "Tiempo de resolución (media)",
            "وقت الحل (المتوسط)",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_filled_in_order() {
        CURRENT.with(|current| current.set(Locale::En));
        assert_eq!(fill(Key::AssignedTo, &["Bea"]), "Assigned to Bea");
        assert_eq!(
            fill(Key::TransferAsked, &["Ada", "Vera", "7"]),
            "Ada asks you to take over the conversation with Vera (#7)."
        );
        CURRENT.with(|current| current.set(Locale::Ar));
        assert_eq!(fill(Key::AssignedTo, &["Bea"]), "مسندة إلى Bea");
    }
}
