"""A throwaway certificate authority and signing certificates for the electronic-signature tests
(the `cryptography` package; nothing leaves the machine)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "rahasia-sertifikat"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balai Uji"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Authority:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def make_authority(name: str = "CA Uji Tanda Tangan") -> Authority:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def make_pkcs12(
    authority: Authority, common_name: str, *, valid_from_days: int = -1, valid_until_days: int = 365
) -> bytes:
    """A PKCS#12 file with a signing certificate issued by `authority` (days relative to now)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=valid_from_days))
        .not_valid_after(now + dt.timedelta(days=valid_until_days))
        .add_extension(_key_usage(ca=False), critical=True)
        .sign(authority.key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"ttd",
        key,
        certificate,
        [authority.certificate],
        serialization.BestAvailableEncryption(PASSPHRASE.encode()),
    )


def configure(settings, tmp_path: Path, *, pkcs12_data: bytes, roots: list[Authority], office: str = "bupati"):
    """Point the settings at a certificate file and trust roots written under `tmp_path`."""
    certificate_file = tmp_path / f"{office}.p12"
    certificate_file.write_bytes(pkcs12_data)
    root_files = []
    for index, authority in enumerate(roots):
        root_file = tmp_path / f"root-{index}.pem"
        root_file.write_bytes(authority.pem())
        root_files.append(str(root_file))
    settings.SIGNING_CERTIFICATES = {office: {"pkcs12": str(certificate_file), "passphrase": PASSPHRASE}}
    settings.SIGNING_TRUST_ROOTS = root_files
