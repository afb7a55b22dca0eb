"""StreamField blocks for editorial pages; each block has its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=160)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_FEATURES)
    tone = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("info", _("Information")), ("important", _("Important"))],
        default="info",
    )

    class Meta:
        icon = "info-circle"
        label = _("Encadré")
        template = "blocks/callout.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Chiffre"), max_length=20, help_text=_("Ex. : 833 h"))
    label = blocks.CharBlock(label=_("Légende"), max_length=120)

    class Meta:
        icon = "order"
        label = _("Chiffre clé")


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, label=_("Chiffres"))

    class Meta:
        icon = "table"
        label = _("Rangée de chiffres clés")
        template = "blocks/key_figures.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        max_length=250,
        help_text=_("Laisser vide si l'image est décorative."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Crédit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Intitulé"), required=False, help_text=_("Par défaut : titre du document.")
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "blocks/document.html"


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question ou intitulé"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=RICH_FEATURES)


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1, label=_("Éléments"))

    class Meta:
        icon = "list-ul"
        label = _("Accordéon / FAQ")
        template = "blocks/accordion.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur"), required=False, max_length=120)
    role = blocks.CharBlock(label=_("Fonction"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        label=_("Titre du tableau"), max_length=200, help_text=_("Lu par les lecteurs d'écran.")
    )
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("Texte"))),
            ("number", blocks.DecimalBlock(label=_("Nombre"))),
        ],
        label=_("Tableau"),
    )
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=200)

    class Meta:
        icon = "table"
        label = _("Tableau")
        template = "blocks/table.html"


class LinkCardBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)
    title = blocks.CharBlock(
        label=_("Titre"), required=False, help_text=_("Par défaut : titre de la page.")
    )
    text = blocks.TextBlock(label=_("Texte"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            from django.core.exceptions import ValidationError
            from wagtail.blocks.struct_block import StructBlockValidationError

            raise StructBlockValidationError(
                {"page": ValidationError(_("Choisissez une page ou saisissez une adresse."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Carte de lien")


class LinkCardsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    cards = blocks.ListBlock(LinkCardBlock(), min_num=1, max_num=8, label=_("Cartes"))

    class Meta:
        icon = "grip"
        label = _("Cartes de liens")
        template = "blocks/link_cards.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"), features=RICH_FEATURES, template="blocks/paragraph.html"
    )
    callout = CalloutBlock()
    key_figures = KeyFiguresBlock()
    image = ImageBlock()
    document = DocumentBlock()
    accordion = AccordionBlock()
    quote = QuoteBlock()
    table = TableBlock()
    link_cards = LinkCardsBlock()
