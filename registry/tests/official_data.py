"""Draft data of official documents, shared by the tests."""


def surat_data(**overrides) -> dict:
    data = {
        "subject": "Permohonan Persetujuan DPRD",
        "recipient": "Ketua DPRD Kabupaten Sleman",
        "recipient_place": "Sleman",
        "body": ["Dengan hormat, bersama ini kami sampaikan rancangan perjanjian kerja sama."],
        "signature": {"title": "BUPATI SLEMAN,", "name": "HARJONO PRAWIRO"},
        "tembusan": ["Sekretaris Daerah"],
    }
    return data | overrides


def keputusan_data(rows: int = 3, **overrides) -> dict:
    data = {
        "title": "RENCANA PROGRAM KERJA SAMA DAERAH TAHUN 2027",
        "menimbang": ["bahwa perlu ditetapkan rencana program kerja sama daerah;"],
        "mengingat": ["Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah;"],
        "diktum": ["Menetapkan Rencana Program sebagaimana tercantum dalam Lampiran.", "Berlaku sejak ditetapkan."],
        "place": "Sleman",
        "signer_title": "BUPATI SLEMAN,",
        "signer_name": "HARJONO PRAWIRO",
        "lampiran": {
            "heading": "RENCANA PROGRAM KERJA SAMA DAERAH",
            "table": {
                "columns": ["No", "Program", "Mitra"],
                "rows": [[str(i), f"Program kerja sama {i}", f"Mitra {i}"] for i in range(1, rows + 1)],
            },
        },
    }
    return data | overrides
