"""StreamField blocks shared by every content area.

Each block has an icon, a template in templates/components/blocks/ and a preview value so
editors can see it in the block picker before they choose it.
"""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from baltmet import personal_data

# Rich text stays modest: structure comes from blocks, not from pasted formatting.
RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]

BLOCK_TEMPLATES = "components/blocks"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")],
        default="h2",
        help_text="The page title is the only heading 1; start sections at heading 2.",
    )

    class Meta:
        icon = "title"
        template = f"{BLOCK_TEMPLATES}/heading.html"
        preview_value = {"text": "Clusters and entrepreneurship", "level": "h2"}
        description = "A section heading"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = f"{BLOCK_TEMPLATES}/paragraph.html"
        preview_value = (
            "<p>The Baltic Metropolises strive together for a more prosperous Europe.</p>"
        )
        description = "Text with bold, italic, links and lists"


class FigureBlock(blocks.StructBlock):
    """An image with its alternative text (or a decorative flag), caption and credit."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)
    credit = blocks.CharBlock(required=False, max_length=120, help_text="Photographer or source")

    class Meta:
        icon = "image"
        template = f"{BLOCK_TEMPLATES}/figure.html"
        description = "An image with a caption"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = f"{BLOCK_TEMPLATES}/quote.html"
        preview_value = {
            "quote": "Baltic Metropolises strive together for a more prosperous Europe.",
            "attribution": "BaltMet Inno",
        }
        description = "A quotation with its source"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(
        required=False, max_length=200, help_text="Link text; the document title if empty."
    )

    class Meta:
        icon = "doc-full"
        template = f"{BLOCK_TEMPLATES}/document_link.html"
        description = "A link to a document, with its type and size"


class MediaEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="Address of a video or other media to embed")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = f"{BLOCK_TEMPLATES}/embed.html"
        description = "A video or other embedded media"


class NumberedItemBlock(blocks.StructBlock):
    number = blocks.CharBlock(max_length=10, help_text="As in the source, e.g. 1.2")
    text = blocks.TextBlock()

    class Meta:
        icon = "list-ol"


class NumberedSectionBlock(blocks.StructBlock):
    """A numbered area with numbered actions, e.g. the focus areas of an action plan."""

    number = blocks.CharBlock(max_length=10, help_text="e.g. 1")
    title = blocks.CharBlock(max_length=200)
    items = blocks.ListBlock(NumberedItemBlock(), min_num=0)

    class Meta:
        icon = "list-ol"
        template = f"{BLOCK_TEMPLATES}/numbered_section.html"
        preview_value = {
            "number": "1",
            "title": "Innovation promotion",
            "items": [
                {"number": "1.1", "text": "Undertake activities for joint cluster development"}
            ],
        }
        description = "A numbered section with numbered items"


class ResponsiblePartnerBlock(blocks.StructBlock):
    """Who leads a piece of work, and whom to contact about it."""

    organisation = blocks.PageChooserBlock(page_type="partners.OrganisationPage")
    contact_name = blocks.CharBlock(required=False, max_length=120)
    contact_email = blocks.EmailBlock(required=False)

    class Meta:
        icon = "group"
        template = f"{BLOCK_TEMPLATES}/responsible_partner.html"
        description = "The responsible partner organisation and its contact person"


class ExternalLinkBlock(blocks.StructBlock):
    """A link to another website, e.g. in the footer."""

    text = blocks.CharBlock(max_length=80, help_text="What the link says, e.g. the site's name.")
    url = blocks.URLBlock(help_text="The full address, starting with https:// or http://.")

    class Meta:
        icon = "link-external"


class ContentBlocks(blocks.StreamBlock):
    """The body of content, news and profile pages."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    embed = MediaEmbedBlock()
    numbered_section = NumberedSectionBlock()
    responsible_partner = ResponsiblePartnerBlock()


class PlaceholderBlock(blocks.StructBlock):
    """Something only the portal's administrator can say, which the source documents do not
    (the publisher's address, the enforcement body): shown to visitors marked as missing, so
    a page can be published without inventing it. The dashboard lists the pages that still
    have one (baltmet/notices.py)."""

    what = blocks.CharBlock(
        max_length=250,
        help_text="What is missing, e.g. “the national enforcement body and its address”. "
        "Replace this block with the text once it is known.",
    )

    class Meta:
        icon = "warning"
        template = f"{BLOCK_TEMPLATES}/placeholder.html"
        preview_value = {"what": "the publisher's postal address"}
        description = "A fact still to be completed, marked as missing"


class PersonalDataBlock(blocks.StaticBlock):
    """What each form of the portal stores about people, why, who sees it and how long it is
    kept: baltmet/personal_data.py's registry, with the retention periods the settings hold,
    so the privacy notice says what the code does."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["entries"] = personal_data.registry()
        return context

    class Meta:
        icon = "table"
        template = f"{BLOCK_TEMPLATES}/personal_data.html"
        preview_value = None
        admin_text = (
            "The personal data each form keeps, with its purpose, who sees it and how long it "
            "is kept, as the portal's code and settings say. Place it under a heading 2: each "
            "form gets a heading 3."
        )
        description = "What the portal's forms keep about people, and for how long"


class StandardPageBlocks(ContentBlocks):
    """The body of content pages, which also carry the portal's notices: the blocks of every
    content area, a placeholder for what only the administrator can fill, and the forms'
    personal data for the privacy notice."""

    placeholder = PlaceholderBlock()
    personal_data = PersonalDataBlock()


class ListItemsBlock(blocks.StreamBlock):
    """A plain list of statements (goals, results), one block per item."""

    item = blocks.TextBlock(
        icon="list-ul", template=f"{BLOCK_TEMPLATES}/list_item.html", label="Item"
    )
