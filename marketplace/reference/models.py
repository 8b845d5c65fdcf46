"""Reference data: regions and their towns, sectors, occupations (ISCO-08) and skills."""

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.i18n import LocalizedNameMixin


class _Named(LocalizedNameMixin):
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Region(_Named, db.Model):
    """One of the 17 oblasts or 3 cities of republican significance."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "oblast" | "city"
    cities: Mapped[list["City"]] = relationship(back_populates="region", order_by="City.name_ru")


class City(_Named, db.Model):
    __tablename__ = "city"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship(back_populates="cities")


class Sector(_Named, db.Model):
    __tablename__ = "sector"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)


skill_occupation = Table(
    "skill_occupation",
    db.Model.metadata,
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
    Column("occupation_id", ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True),
)


class Occupation(_Named, db.Model):
    """ISCO-08 major and sub-major groups, and concrete occupations under a sub-major group."""

    __tablename__ = "occupation"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16))  # "major" | "sub_major" | "occupation"
    isco: Mapped[str | None] = mapped_column(String(8))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    parent: Mapped["Occupation | None"] = relationship(remote_side=[id])
    sector: Mapped[Sector | None] = relationship()


class Skill(_Named, db.Model):
    __tablename__ = "skill"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    synonyms: Mapped[list["SkillSynonym"]] = relationship(
        back_populates="skill", cascade="all, delete-orphan"
    )
    occupations: Mapped[list[Occupation]] = relationship(secondary=skill_occupation)


class SkillSynonym(db.Model):
    __tablename__ = "skill_synonym"
    __table_args__ = (UniqueConstraint("skill_id", "language", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    skill: Mapped[Skill] = relationship(back_populates="synonyms")
