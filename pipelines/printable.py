"""Text from files and records, made safe to print on one line of a terminal or a log."""


def shown(text: object) -> str:
    """``text`` with every character that is not printable (newlines, carriage returns, escape
    sequences, Unicode line separators) written as its Python escape: a file name or a reason
    cannot start a line of its own in a summary, nor move the cursor over one."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
