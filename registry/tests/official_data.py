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


def berita_acara_data() -> dict:
    return {
        "subtitle": "RAPAT PLENO TIM KOORDINASI KERJA SAMA DAERAH",
        "meeting": {
            "date": "2026-11-23",
            "start": "09:00",
            "place": "Ruang Rapat Sekretariat Daerah",
            "chair": "Sekretaris Daerah",
            "purpose": "menetapkan prioritas usulan kerja sama daerah",
        },
        "agenda": ["Pembahasan usulan kerja sama tahun 2027"],
        "decisions": ["Usulan pengelolaan sampah regional ditetapkan sebagai prioritas pertama."],
        "secretary": {"title": "Sekretaris,", "name": "DWI ANGGRAINI"},
        "chair": {"title": "Ketua,", "name": "BAMBANG WICAKSONO"},
    }
