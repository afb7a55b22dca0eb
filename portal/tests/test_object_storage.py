"""Media on S3-compatible object storage (django-storages), against a local S3 server: moto in
server mode on 127.0.0.1, one per test module.

A document uploaded in the admin lands in the bucket and is downloaded from the public site
through Wagtail's serve view (privacy settings applied); an image's rendition is written to
the bucket and read back anonymously from its plain URL; backups say media stay in the bucket.
"""

import io
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.models import GuidanceDocument
from portal.settings.base import media_origins, media_storage

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"AWS_ACCESS_KEY_ID": "portal-test", "AWS_SECRET_ACCESS_KEY": "portal-test-secret"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """A moto S3 server on a free port of 127.0.0.1; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Environment(dict):
    """Stands for django-environ's `env(name, default=…)`."""

    def __call__(self, name, default=None):
        return self.get(name, default)


def s3_environment(endpoint, bucket):
    return Environment(
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="eu-west-3",
        AWS_S3_ADDRESSING_STYLE="path",
        **KEYS,
    )


@pytest.fixture
def bucket(s3_server, settings, request):
    """A new bucket on the local server, and the settings that put media there (built by the
    same function as the real settings, from environment variables)."""
    name = "portal-" + request.node.name.lower().replace("_", "-")[:40].strip("-")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-3",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    # The policy docs/operations.md ("Media on object storage") asks for: renditions readable by
    # anyone, originals and documents by the portal only.
    client.put_bucket_policy(Bucket=name, Policy=public_renditions_policy(name))
    storage = media_storage(s3_environment(s3_server, name))
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ON_OBJECT_STORAGE = True

    def stored():
        listed = client.list_objects_v2(Bucket=name).get("Contents", [])
        return {item["Key"] for item in listed}

    client.stored = stored
    client.name = name
    client.endpoint = s3_server
    yield client


def public_renditions_policy(bucket):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRenditions",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/images/*",
                }
            ],
        }
    )


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def png(width=300, height=200):
    data = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 90, 160)).save(data, "PNG")
    return data.getvalue()


def test_storage_comes_from_the_environment():
    assert media_storage(Environment())["BACKEND"].endswith("FileSystemStorage")
    storage = media_storage(s3_environment("https://s3.example.org", "portail-medias"))
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "portail-medias"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert media_origins(storage) == ["https://s3.example.org", "https://*.s3.example.org"]
    cdn = media_storage(Environment(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_CUSTOM_DOMAIN="m.ex.org"))
    assert media_origins(cdn) == ["https://m.ex.org"]
    aws = media_storage(Environment(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_REGION_NAME="eu-west-3"))
    assert media_origins(aws) == [
        "https://b.s3.amazonaws.com",
        "https://b.s3.eu-west-3.amazonaws.com",
    ]


def test_document_uploaded_in_the_admin_is_downloaded_from_the_site(
    bucket, client, admin_user, home
):
    content = b"%PDF-1.4 guide des clauses sociales " + os.urandom(64)
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Guide des clauses",
            "file": SimpleUploadedFile("guide-clauses.pdf", content, "application/pdf"),
            "collection": Collection.get_first_root_node().pk,
            "doc_type": "guide",
            "language": "fr",
            "in_library": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    document = GuidanceDocument.objects.get(title="Guide des clauses")
    assert document.file.name in bucket.stored()
    assert document.file.name.startswith("documents/guide-clauses")
    client.logout()

    download = client.get(document.url)
    assert download.status_code == 200  # streamed by the portal, not a redirect to the bucket
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"


def test_a_private_document_stays_private(bucket, client, admin_user, home):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Coordination")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = GuidanceDocument.objects.create(
        title="Note interne",
        collection=private,
        file=SimpleUploadedFile("note-interne.pdf", b"%PDF-1.4 interne"),
    )
    assert document.file.name in bucket.stored()
    assert anonymous_get(document.file.url)[0] == 403  # the bucket never hands it out

    anonymous = client.get(document.url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    # Nothing of the bucket is handed out: no URL to try around the view.
    assert bucket.endpoint not in anonymous["Location"]
    client.force_login(admin_user)
    allowed = client.get(document.url)
    assert b"".join(allowed.streaming_content) == b"%PDF-1.4 interne"


def test_image_uploaded_in_the_admin_and_its_rendition_are_public(bucket, client, admin_user, home):
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Chantier",
            "file": SimpleUploadedFile("chantier.png", png(), "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    image = get_image_model().objects.get(title="Chantier")
    assert image.file.name in bucket.stored()

    rendition = image.get_rendition("fill-80x60")
    assert rendition.file.name in bucket.stored()
    url = rendition.url
    assert url.startswith(f"{bucket.endpoint}/{bucket.name}/images/")
    assert "X-Amz" not in url and "?" not in url  # a plain URL a CDN can cache
    status, body = anonymous_get(url)  # as a browser would
    assert status == 200
    assert PILImage.open(io.BytesIO(body)).size == (80, 60)
    # The original stays private: only renditions (resized, metadata stripped) are public.
    assert anonymous_get(image.file.url)[0] == 403


def test_the_content_security_policy_allows_images_from_the_bucket(s3_server):
    origins = media_origins(media_storage(s3_environment(s3_server, "portail")))
    assert origins[0] == s3_server


def run_manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (arguments, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def test_backup_and_restore_say_media_stay_in_the_bucket(bucket, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path}/source.sqlite3",
        "DEBUG": "false",
        **s3_environment(bucket.endpoint, bucket.name),
    }
    env.pop("REDIS_URL", None)
    run_manage(env, "migrate", "--noinput", "-v0")
    output = run_manage(env, "backup_site", str(tmp_path / "backup"))
    assert f"Media are on object storage (bucket {bucket.name}) and are not in this backup" in (
        output
    )
    assert not (tmp_path / "backup" / "media.tar.gz").exists()

    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/restored.sqlite3"
    output = run_manage(env, "restore_site", str(tmp_path / "backup"), "--noinput")
    assert "not in this restore" in output

    # The same backup cannot silently restore into a site keeping media in MEDIA_ROOT.
    local = {key: value for key, value in env.items() if not key.startswith("AWS_")}
    local["MEDIA_ROOT"] = str(tmp_path / "media")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(tmp_path / "backup"), "--noinput"],
        cwd=ROOT,
        env=local,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "holds no media" in result.stderr
