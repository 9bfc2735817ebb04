"""Where media lives, from the environment: the STORAGES entries for settings.py.

Two stores (ARCHITECTURE.md "Media"):
- "default": public renditions (display sizes, thumbnails, avatars, product images),
  written once under random names, so they are cached for a year ("immutable").
- "originals": private full-resolution originals, reachable only by short-lived signed
  URLs that the app hands to the author and staff (redbook/storage.py).

With `MEDIA_STORAGE_URL` (or the usual `AWS_STORAGE_BUCKET_NAME`) both go to an
S3-compatible store (django-storages): `s3://bucket?endpoint_url=http://minio:9000&region=us-east-1`,
credentials as `s3://KEY:SECRET@bucket?...` or in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
Originals share the bucket under the `originals/` prefix (the bucket policy must leave
that prefix private) unless `ORIGINALS_STORAGE_URL` names a bucket of their own.
Without either, media stays on the local disk: the embedded default.

Pure functions of strings: settings.py imports this before Django is set up.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"
S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_options_from_url(url: str) -> dict:
    """django-storages S3Storage options from `s3://[KEY:SECRET@]bucket[/prefix]?endpoint_url=&region=`."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ValueError(f"media storage URL must look like s3://bucket?endpoint_url=...: {url!r}")
    query = dict(parse_qsl(parts.query))
    options = {"bucket_name": parts.hostname, "location": parts.path.strip("/")}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    for key, option in (("endpoint_url", "endpoint_url"), ("region", "region_name"), ("region_name", "region_name")):
        if query.get(key):
            options[option] = query[key]
    return options


def s3_options_from_aws_env(env) -> dict:
    """The same options from the usual AWS_* variables (credentials boto3 reads itself)."""
    options = {"bucket_name": env("AWS_STORAGE_BUCKET_NAME"), "location": env("AWS_LOCATION", default="")}
    for variable, option in (("AWS_S3_ENDPOINT_URL", "endpoint_url"), ("AWS_S3_REGION_NAME", "region_name")):
        if env(variable, default=""):
            options[option] = env(variable)
    return options


def _public_address(options: dict, public_url: str) -> dict:
    """custom_domain/url_protocol so that url() is string formatting, not a boto3 call per image.

    MEDIA_PUBLIC_URL (a CDN) wins; else the store's own address, path-style for a
    custom endpoint (MinIO, moto), virtual-hosted for AWS."""
    if public_url:
        parts = urlsplit(public_url)
        return {"custom_domain": (parts.netloc + parts.path).rstrip("/"), "url_protocol": f"{parts.scheme}:"}
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        domain = f"{parts.netloc}{parts.path.rstrip('/')}/{options['bucket_name']}"
        return {"custom_domain": domain, "url_protocol": f"{parts.scheme}:"}
    region = options.get("region_name") or "us-east-1"
    return {"custom_domain": f"{options['bucket_name']}.s3.{region}.amazonaws.com", "url_protocol": "https:"}


def s3_storages(public: dict, originals: dict | None, *, public_url: str, signed_seconds: int) -> dict:
    """STORAGES "default" and "originals" on S3; `originals` None: the public bucket's `originals/`."""
    if public.get("endpoint_url"):
        public = {"addressing_style": "path", **public}  # MinIO and most S3-compatibles
    if originals is None:
        originals = {**public, "location": "/".join(filter(None, (public.get("location"), "originals")))}
    elif originals.get("endpoint_url"):
        originals = {"addressing_style": "path", **originals}
    default_options = {
        **public,
        **_public_address(public, public_url),
        "querystring_auth": False,
        # Names are random (redbook/images.py server_filename): no existence check per save.
        "file_overwrite": True,
        "object_parameters": {"CacheControl": PUBLIC_CACHE_CONTROL},
    }
    # No ACLs (new AWS buckets refuse them): objects are private unless the bucket policy
    # (manage.py media_bucket) opens their folder, and it never opens `originals/`.
    originals_options = {
        **originals,
        "querystring_auth": True,
        "querystring_expire": signed_seconds,
        "file_overwrite": True,
        "signature_version": "s3v4",
        "object_parameters": {"CacheControl": f"private, max-age={signed_seconds}"},
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": default_options},
        "originals": {"BACKEND": S3_BACKEND, "OPTIONS": originals_options},
    }


def local_storages(*, public_url: str) -> dict:
    """The embedded default: renditions under MEDIA_ROOT (served at /media/), originals
    beside it in a folder that is never served (redbook/storage.py OriginalsFileStorage)."""
    default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if public_url:
        default["OPTIONS"] = {"base_url": public_url if public_url.endswith("/") else public_url + "/"}
    return {"default": default, "originals": {"BACKEND": "redbook.storage.OriginalsFileStorage"}}


def media_storages(env) -> dict:
    public_url = env("MEDIA_PUBLIC_URL", default="")
    signed_seconds = env.int("ORIGINAL_URL_SECONDS", default=300)
    if env("MEDIA_STORAGE_URL", default=""):
        public = s3_options_from_url(env("MEDIA_STORAGE_URL"))
    elif env("AWS_STORAGE_BUCKET_NAME", default=""):
        public = s3_options_from_aws_env(env)
    else:
        return local_storages(public_url=public_url)
    originals_url = env("ORIGINALS_STORAGE_URL", default="")
    originals = s3_options_from_url(originals_url) if originals_url else None
    return s3_storages(public, originals, public_url=public_url, signed_seconds=signed_seconds)


def public_media_origin(stores: dict) -> str | None:
    """The origin public media is served from when it is not this site (for the CSP's img-src)."""
    options = stores["default"].get("OPTIONS", {})
    if options.get("custom_domain"):
        return f"{options['url_protocol']}//{options['custom_domain'].split('/')[0]}"
    base_url = options.get("base_url", "")
    if "://" in base_url:
        parts = urlsplit(base_url)
        return f"{parts.scheme}://{parts.netloc}"
    return None
