"""Demo appeals' own words in a child's language: fictional, written for the demo, and
like every translation on the real site to be checked by a fluent speaker before use."""

from appeals.models import AppealTranslation

# Headline, then message to them; {first} is their (Latin-script) first name, isolated so
# that it reads in place inside right-to-left text.
WORDS = {
    "ps": (
        "آیا تاسو \u2068{first}\u2069 لیدلی دی؟",
        "\u2068{first}\u2069، ته په ستونزه کې نه یې. موږ یوازې غواړو چې ته خوندي یې. "
        "د کډوالۍ پوښتنې دلته مهمې نه دي. \u2066116 000\u2069 ته وړیا زنګ ووهه یا پیغام "
        "واستوه، د ورځې او شپې هر وخت.",
    ),
    "ti": (
        "\u2068{first}\u2069 ርኢኹምዶ?",
        "\u2068{first}\u2069፡ ኣብ ጸገም ኣይኮንካን። ውሑስ ክትከውን ጥራይ ኢና ንደሊ። ሕቶ "
        "ኢሚግሬሽን ኣብዚ ኣገዳሲ ኣይኮነን። ናብ 116 000 ብነጻ ደውል ወይ መልእኽቲ ስደድ፡ ለይትን "
        "መዓልትን።",
    ),
    "ar": (
        "هل رأيت \u2068{first}\u2069؟",
        "\u2068{first}\u2069، أنت لست في مشكلة. كل ما نريده هو أن تكون بأمان. أسئلة "
        "الهجرة لا تهم هنا. اتصل أو أرسل رسالة مجانًا إلى \u2066116 000\u2069، ليلًا "
        "ونهارًا.",
    ),
}


def demo_translations(*, first: str, number: int) -> list[AppealTranslation]:
    """One language for each unaccompanied child of the demo, in turn."""
    language = list(WORDS)[number % len(WORDS)]
    headline, message = WORDS[language]
    return [
        AppealTranslation(
            language=language,
            headline=headline.format(first=first),
            message_to_them=message.format(first=first),
            translated_by="Demo Translator (fictional)",
            reviewed_by="Demo Reviewer (fictional)",
        )
    ]
