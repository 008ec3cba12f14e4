import factory

from baltmet.contact.models import ContactMessage, ContactPage
from baltmet.factories import BasePageFactory, home_page


class ContactPageFactory(BasePageFactory):
    title = "Contact"
    slug = "contact"
    intro = "Write to the network."

    class Meta:
        model = ContactPage

    @classmethod
    def default_parent(cls):
        return home_page()


class ContactMessageFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Visitor {n}")
    email = factory.Sequence(lambda n: f"visitor{n}@example.org")
    subject = "A question"
    message = "What does the network plan next year?"
    language = "en"

    class Meta:
        model = ContactMessage
