"""Translation: ``tr()`` marks user-visible strings; a translator is loaded for the locale."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CONTEXT = "mailclient"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Return ``text`` translated for the user's language (itself when there is no translation).

    Every user-visible string of the ui goes through here, so ``pyside6-lupdate`` finds it.
    """
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker name
    """Mark ``text`` for the catalog where it is defined; ``tr(text)`` translates it later.

    Qt's own marker returns ``object`` to type checkers; this one a ``str``.
    """
    return text


def plural(count: int, one: str, many: str, **values: object) -> str:
    """``one`` or ``many`` (both already through ``tr()``, with ``{count}``) for ``count``,
    formatted with ``values`` too.

    English needs no catalog this way; a translator with more forms words them both.
    """
    return (one if count == 1 else many).format(count=count, **values)


def message_count(count: int) -> str:
    """``1 message``, ``3 messages``, translated."""
    return plural(count, tr("{count} message"), tr("{count} messages"))


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load Qt's own and the app's translations for ``locale`` (the system's by default).

    Returns the installed translators (the caller keeps them alive); none when no file exists
    for the language, which leaves the English text.
    """
    locale = locale or QLocale.system()
    installed: list[QTranslator] = []
    sources = (
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        ("mailclient", str(TRANSLATIONS_DIR)),
    )
    for name, directory in sources:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
