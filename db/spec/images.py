"""Images, their licenses and variants: nested in almost every LL2 object."""

from __future__ import annotations

from db.spec.fields import Backref, Entity, Ref, boolean, integer, text

IMAGE_LICENSE = Entity(
    name="image_license",
    type_name="ImageLicense",
    doc="The license under which an image may be used.",
    fields=(
        text("name", "Name of the license.", required=True, filter=True),
        integer("priority", "LL2's preference among licenses (lower is freer).", required=True),
        text("link", "Link to the license's text."),
    ),
)

IMAGE_VARIANT_TYPE = Entity(
    name="image_variant_type",
    type_name="ImageVariantType",
    doc="What an image variant is for (a smaller size, a different format).",
    fields=(text("name", "Name of the variant type.", required=True),),
)

IMAGE_VARIANT = Entity(
    name="image_variant",
    type_name="ImageVariant",
    doc="Another rendition of an image.",
    fields=(
        Ref(key="type", target="image_variant_type", doc="What this variant is.", required=True),
        text("image_url", "URL of the variant's file.", required=True),
        Ref(key="image", target="image", doc="The image this is a variant of.", hidden=True),
    ),
)

IMAGE = Entity(
    name="image",
    type_name="Image",
    doc="An image LL2 holds for an object, with its credit and license.",
    fields=(
        text("name", "Name of the image.", required=True),
        text("image_url", "URL of the full-size image.", required=True),
        text("thumbnail_url", "URL of the image's thumbnail.", required=True),
        text("credit", "Who made the image."),
        Ref(
            key="license",
            target="image_license",
            doc="License of the image.",
            required=True,
            filter=True,
        ),
        boolean("single_use", "Whether the image is used by a single object only.", required=True),
        Backref(
            key="variants",
            target="image_variant",
            via="image",
            doc="Other renditions of the image.",
            ordered=True,
        ),
    ),
)

ENTITIES = (IMAGE_LICENSE, IMAGE_VARIANT_TYPE, IMAGE_VARIANT, IMAGE)
