"""GraphQL types: images, their licenses and variants."""

from __future__ import annotations

from gateway.types.objects import object_type

ImageLicense = object_type("image_license")
ImageVariantType = object_type("image_variant_type")
ImageVariant = object_type("image_variant")
Image = object_type("image")
