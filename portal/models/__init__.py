"""Site-wide page types, documents and settings of the portal."""

from .base import BasePage  # noqa: F401
from .calculator import CalculatorPage  # noqa: F401
from .documents import Audience, GuidanceDocument  # noqa: F401
from .operations import SchedulerHeartbeat  # noqa: F401
from .pages import (  # noqa: F401
    ContactFormField,
    ContactPage,
    GuidanceIndexPage,
    HomePage,
    ResultsIndexPage,
    ResultsPage,
    StandardPage,
)
from .site_settings import FooterLink, SectorShare, SiteSettings, SocialLink  # noqa: F401
from .workflows import PeerApprovalTask  # noqa: F401
