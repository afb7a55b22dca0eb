"""Shorthands that build StreamField data (raw JSON form) for the demo content."""


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def para(html):
    return {"type": "paragraph", "value": html}


def callout(title, html, tone="info"):
    return {"type": "callout", "value": {"title": title, "text": html, "tone": tone}}


def figures(title, items):
    return {
        "type": "key_figures",
        "value": {"title": title, "figures": [{"value": v, "label": label} for v, label in items]},
    }


def faq(title, items):
    return {
        "type": "accordion",
        "value": {"title": title, "items": [{"question": q, "answer": a} for q, a in items]},
    }


def quote(text, author="", role=""):
    return {"type": "quote", "value": {"text": text, "author": author, "role": role}}


def table(caption, headings, rows, source=""):
    columns = [{"type": "text", "heading": heading} for heading in headings]
    return {
        "type": "table",
        "value": {
            "caption": caption,
            "table": {"columns": columns, "rows": [{"values": list(row)} for row in rows]},
            "source": source,
        },
    }


def document(document_id, title="", description=""):
    return {
        "type": "document",
        "value": {"document": document_id, "title": title, "description": description},
    }


def image(image_id, alt, caption="", credit=""):
    return {
        "type": "image",
        "value": {"image": image_id, "alt": alt, "caption": caption, "credit": credit},
    }


def cards(title, items):
    """items: (page_id, title, text) triples."""
    return {
        "type": "link_cards",
        "value": {
            "title": title,
            "cards": [
                {"page": page_id, "url": "", "title": card_title, "text": text}
                for page_id, card_title, text in items
            ],
        },
    }
