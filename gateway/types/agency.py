"""GraphQL types: agencies, their kinds and social media accounts."""

from __future__ import annotations

from gateway.types.objects import object_type

AgencyType = object_type("agency_type")
SocialMedia = object_type("social_media")
SocialMediaLink = object_type("social_media_link")
Agency = object_type("agency")
