"""Collegial bodies, their membership, meetings, agenda, decisions and control of execution."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base, utcnow
from socplan.db.models.reference import Organisation, Person


class Body(Base):
    __label__ = "Коллегиальные органы"
    __tablename__ = "pr_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # domain.protocols.BODY_KINDS
    name: Mapped[str] = mapped_column(String(1000))
    name_genitive: Mapped[str] = mapped_column(String(1000), default="")
    short_name: Mapped[str] = mapped_column(String(255), default="")
    short_name_genitive: Mapped[str] = mapped_column(String(255), default="")
    founded: Mapped[dt.date | None] = mapped_column(Date)
    statute: Mapped[str] = mapped_column(Text, default="")  # the act that created it / approved the statute
    default_place: Mapped[str] = mapped_column(String(500), default="")
    quorum_numerator: Mapped[int] = mapped_column(Integer, default=1)
    quorum_denominator: Mapped[int] = mapped_column(Integer, default=2)
    quorum_strict: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_numerator: Mapped[int] = mapped_column(Integer, default=1)
    decision_denominator: Mapped[int] = mapped_column(Integer, default=2)
    decision_strict: Mapped[bool] = mapped_column(Boolean, default=False)
    casting_vote: Mapped[bool] = mapped_column(Boolean, default=True)
    secretary_signs: Mapped[bool] = mapped_column(Boolean, default=True)

    memberships: Mapped[list[Membership]] = relationship(back_populates="body", cascade="all, delete-orphan")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="body", order_by="Meeting.date")


class Membership(Base):
    __label__ = "Составы коллегиальных органов"
    __tablename__ = "pr_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("pr_body.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))  # domain.protocols.ROLES
    position: Mapped[str] = mapped_column(String(1000), default="")
    date_from: Mapped[dt.date | None] = mapped_column(Date)
    date_to: Mapped[dt.date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class Meeting(Base):
    __label__ = "Заседания"
    __tablename__ = "pr_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("pr_body.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(30), default="")
    date: Mapped[dt.date] = mapped_column(Date)
    time: Mapped[str] = mapped_column(String(5), default="")  # «10:00»
    place: Mapped[str] = mapped_column(String(500), default="")
    form: Mapped[str] = mapped_column(String(20), default="in_person")
    presiding_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))

    body: Mapped[Body] = relationship(back_populates="meetings")
    presiding: Mapped[Person | None] = relationship(foreign_keys=[presiding_id])
    secretary: Mapped[Person | None] = relationship(foreign_keys=[secretary_id])
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                        order_by="Attendance.sort_order")
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                    order_by="AgendaItem.number")


class Attendance(Base):
    """A member present (``person_id`` from the membership) or an invited person (name and organisation)."""

    __label__ = "Участники заседаний"
    __tablename__ = "pr_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("pr_meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    invited: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(300), default="")  # invited person without a Person record
    position: Mapped[str] = mapped_column(String(1000), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person | None] = relationship()


class AgendaItem(Base):
    __label__ = "Вопросы повестки"
    __tablename__ = "pr_agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("pr_meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    speakers: Mapped[str] = mapped_column(Text, default="")
    heard: Mapped[str] = mapped_column(Text, default="")  # «СЛУШАЛИ»

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    decisions: Mapped[list[Decision]] = relationship(back_populates="agenda_item", cascade="all, delete-orphan",
                                                     order_by="[Decision.point, Decision.subpoint]")
    speeches: Mapped[list[Speech]] = relationship(back_populates="agenda_item", cascade="all, delete-orphan",
                                                  order_by="[Speech.sort_order, Speech.id]")


class Speech(Base):
    """«ВЫСТУПИЛИ»: one speaker in the discussion of a question, in the order they spoke — a member present
    (``person_id``) or an invited person (``name``; ``person_id`` too where the invited person is in the
    reference) — with the position printed and the gist of what was said."""

    __label__ = "Выступления по вопросам повестки"
    __tablename__ = "pr_speech"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("pr_agenda_item.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(300), default="")  # a speaker without a Person record
    position: Mapped[str] = mapped_column(String(1000), default="")
    gist: Mapped[str] = mapped_column(Text, default="")

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="speeches")
    person: Mapped[Person | None] = relationship()


class Decision(Base):
    """A decision («пункт N», «подпункт M пункта N»); with responsible bodies it is an assignment under control."""

    __label__ = "Решения (поручения)"
    __tablename__ = "pr_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("pr_agenda_item.id", ondelete="CASCADE"), index=True)
    point: Mapped[int] = mapped_column(Integer)
    subpoint: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(String(500), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstained: Mapped[int | None] = mapped_column(Integer)
    presiding_vote: Mapped[str] = mapped_column(String(10), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")
    control_status: Mapped[str] = mapped_column(String(20), default="")  # "" = not an assignment
    execution_info: Mapped[str] = mapped_column(Text, default="")
    execution_date: Mapped[dt.date | None] = mapped_column(Date)
    original_due_date: Mapped[dt.date | None] = mapped_column(Date)  # before «срок перенесён»
    #: optimistic locking (migration versions_0001): every UPDATE checks and bumps it; a concurrent save is refused
    version: Mapped[int] = mapped_column(Integer, server_default=sql_text("1"))
    __mapper_args__ = {"version_id_col": version}

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decisions")
    responsibles: Mapped[list[DecisionResponsible]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DecisionResponsible.sort_order")
    documents: Mapped[list[ControlDocument]] = relationship(back_populates="decision", cascade="all, delete-orphan",
                                                            order_by="ControlDocument.id")


class DecisionResponsible(Base):
    """An organisation from the reference data (with an optional wording after it) or a plain wording."""

    __label__ = "Ответственные за исполнение решений"
    __tablename__ = "pr_decision_responsible"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("pr_decision.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(String(1000), default="")
    suffix: Mapped[str] = mapped_column(String(1000), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    decision: Mapped[Decision] = relationship(back_populates="responsibles")
    organisation: Mapped[Organisation | None] = relationship()


class ControlDocument(Base):
    """A document confirming execution (a letter, a report), kept with its SHA-256."""

    __label__ = "Документы об исполнении"
    __tablename__ = "pr_control_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("pr_decision.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    description: Mapped[str] = mapped_column(String(1000), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="documents")
