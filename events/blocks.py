from wagtail import blocks


class ProgrammeItemBlock(blocks.StructBlock):
    """One slot of an event's programme, in the event's local time."""

    day = blocks.DateBlock(required=False, help_text="For events of several days.")
    start = blocks.TimeBlock(required=False)
    end = blocks.TimeBlock(required=False)
    title = blocks.CharBlock(max_length=255)
    speakers = blocks.CharBlock(required=False, max_length=255)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "time"
        template = "components/blocks/programme_item.html"
        preview_value = {"start": "09:30", "title": "Opening", "speakers": "The hosts"}
        description = "A slot in the programme"


class ProgrammeBlocks(blocks.StreamBlock):
    item = ProgrammeItemBlock()
    pause = blocks.CharBlock(
        label="Break",
        icon="pause",
        template="components/blocks/programme_break.html",
        help_text="e.g. 'Lunch'",
    )
