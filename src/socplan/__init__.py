"""СоцПлан: plans of events, meeting protocols, indicators, subsidies and signed reports."""

__version__ = "0.1.0"
APP_NAME = "СоцПлан"
APP_ID = "socplan"
