from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import twofactor


class Command(BaseCommand):
    help = (
        "Removes the second-factor devices of an admin account (lost or replaced phone): at "
        "its next login the account enrols a new authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No account named {username!r}.") from error
        removed = twofactor.reset(user)
        self.stdout.write(f"{removed} device(s) removed for {username}.")
