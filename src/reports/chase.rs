//! The email `panelaudit chase` writes to an agency whose return is not in: a standard `.eml`
//! file (RFC 5322 and MIME) that a mail program opens as a draft ready to send (`X-Unsent: 1`),
//! with the agency's contact in To, a plain-text body naming the cycle, its deadline and what
//! is missing question by question, and the agency's own form attached. Nothing is sent, and
//! the email carries nothing of any other agency's return.

use crate::analysis::returns::ReturnStatus;
use crate::model::{Agency, Audit, Cycle, Date, Question};
use base64::Engine;

/// An .xlsx attachment's content type.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Body lines are wrapped to this many characters, as plain-text email is.
const WIDTH: usize = 76;

/// One agency's chasing email, before it is written out.
pub struct Letter<'a> {
    pub audit: &'a Audit,
    pub cycle: &'a Cycle,
    pub agency: &'a Agency,
    pub status: ReturnStatus,
    /// The questions still to answer (for a return carried over unchanged: all, to review).
    pub missing: Vec<&'a Question>,
    /// The comparable cycle before, for a return carried over from it.
    pub previous: Option<&'a str>,
    /// The attached form: its file name and bytes.
    pub form: (String, Vec<u8>),
    pub today: Date,
}

impl Letter<'_> {
    /// The whole message, lines ending CRLF as email requires.
    pub fn eml(&self) -> String {
        let boundary = format!("=_panelaudit_{}_{}", self.cycle.id, self.agency.id);
        let mut lines: Vec<String> = Vec::new();
        if let Some(to) = &self.agency.contact {
            lines.push(format!("To: {}", address(to)));
        }
        if let Some(from) = self.reply_to() {
            lines.push(format!("Reply-To: {}", address(from)));
        }
        lines.push(format!("Subject: {}", header_text(&self.subject())));
        lines.push(format!("Date: {}", self.today.email_date()));
        lines.push("MIME-Version: 1.0".to_string());
        lines.push("X-Unsent: 1".to_string());
        lines.push(format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\""
        ));
        lines.push(String::new());
        lines.push("This is a message in MIME format.".to_string());
        lines.push(format!("--{boundary}"));
        lines.push("Content-Type: text/plain; charset=utf-8".to_string());
        lines.push("Content-Transfer-Encoding: 8bit".to_string());
        lines.push(String::new());
        lines.extend(self.body().lines().map(str::to_string));
        lines.push(format!("--{boundary}"));
        let (name, bytes) = &self.form;
        lines.push(format!("Content-Type: {XLSX}; name=\"{name}\""));
        lines.push("Content-Transfer-Encoding: base64".to_string());
        lines.push(format!(
            "Content-Disposition: attachment; filename=\"{name}\""
        ));
        lines.push(String::new());
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        lines.extend(
            encoded
                .as_bytes()
                .chunks(WIDTH)
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        lines.push(format!("--{boundary}--"));
        let mut out = lines.join("\r\n");
        out.push_str("\r\n");
        out
    }

    /// Where replies go: the partnership's contact, when it is an email address.
    fn reply_to(&self) -> Option<&str> {
        self.audit
            .partnership
            .contact
            .as_deref()
            .filter(|c| crate::validate::email_address(c).is_some())
    }

    fn deadline_passed(&self) -> bool {
        self.today > self.cycle.closed
    }

    pub fn subject(&self) -> String {
        let p = &self.audit.partnership.short_name;
        let what = match self.status {
            ReturnStatus::CarriedOver => "please review and date your return",
            ReturnStatus::PartlyAnswered { .. } => "your return is not complete",
            _ => "your return is awaited",
        };
        let due = if self.deadline_passed() {
            "was due"
        } else {
            "due"
        };
        format!(
            "{p} {}: {what} ({due} {})",
            self.cycle.title,
            self.cycle.closed.long()
        )
    }

    /// The plain-text body, wrapped for email.
    pub fn body(&self) -> String {
        let a = self.audit;
        let c = self.cycle;
        let fw = a.framework(&c.framework);
        let asked = c.questions(fw).count();
        let mut paras: Vec<String> = vec![format!("Dear colleagues at {},", self.agency.name)];
        paras.push(format!(
            "{} is running {} ({}), a {} of {asked} questions from {}.",
            a.partnership.name,
            c.title,
            c.id,
            c.method.words(),
            fw.title
        ));
        paras.push(self.where_it_stands());
        paras.push(if self.deadline_passed() {
            format!(
                "The return was due on {}. Please send it as soon as you can: until then, its questions count as no evidence of assurance from your agency.",
                c.closed.long()
            )
        } else {
            format!(
                "Please send it by {}. Questions left unanswered count as no evidence of assurance from your agency.",
                c.closed.long()
            )
        });
        let mut out: Vec<String> = paras.iter().map(|p| textwrap::fill(p, WIDTH)).collect();
        out.push(self.question_list());
        out.push(textwrap::fill(&self.how_to_reply(), WIDTH));
        out.push(format!("{} quality assurance", a.partnership.short_name));
        out.join("\n\n") + "\n"
    }

    fn where_it_stands(&self) -> String {
        match self.status {
            ReturnStatus::PartlyAnswered { answered, asked } => format!(
                "Thank you for your return. It answers {answered} of the {asked} questions; {} still need an answer (a rating, or \"n/a\" where a question does not apply to your agency).",
                asked - answered
            ),
            ReturnStatus::Empty => {
                "The return we received has no answers in it: it may be the blank form.".to_string()
            }
            ReturnStatus::CarriedOver => format!(
                "The return we received gives your answers from {} unchanged, with no date: please look at each answer again for this round, update what has changed, and add the date you submit it.",
                self.previous.unwrap_or("the last round")
            ),
            _ => "We have not yet received your return.".to_string(),
        }
    }

    fn question_list(&self) -> String {
        let heading = match self.status {
            ReturnStatus::CarriedOver => "The questions to review:",
            ReturnStatus::PartlyAnswered { .. } => "The questions still to answer:",
            _ => "The questions to answer:",
        };
        let mut out = vec![heading.to_string()];
        let options = textwrap::Options::new(WIDTH)
            .initial_indent("  ")
            .subsequent_indent("      ");
        for q in &self.missing {
            out.push(textwrap::fill(&format!("{}  {}", q.id, q.text), &options));
        }
        out.join("\n")
    }

    fn how_to_reply(&self) -> String {
        let back = self
            .reply_to()
            .map_or("reply to this email".to_string(), |r| {
                format!("send it to {r}")
            });
        format!(
            "Your form is attached ({}), with any answers you have already given. Fill in the Rating, Confidence and Evidence columns of its Return sheet, and on its About sheet your role (not your name) and the date, then {back}. It can be saved as an Excel workbook (.xlsx) or from LibreOffice (.ods). Please write nothing that identifies a child or family: returns are read across the agencies of the partnership.",
            self.form.0
        )
    }
}

/// A To or Reply-To address as a header writes it: the display name quoted (and encoded when
/// it is not ASCII), the address in angle brackets.
fn address(contact: &str) -> String {
    let contact = contact.trim();
    match (contact.rfind('<'), crate::validate::email_address(contact)) {
        (Some(open), Some(addr)) => {
            let name = contact[..open].trim();
            if name.is_empty() {
                format!("<{addr}>")
            } else if name.is_ascii() {
                format!("\"{name}\" <{addr}>")
            } else {
                format!("{} <{addr}>", header_text(name))
            }
        }
        (_, Some(addr)) => addr.to_string(),
        _ => String::new(),
    }
}

/// Header text: as it is when plain ASCII, else an RFC 2047 encoded word (UTF-8, base64).
fn header_text(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.is_ascii() {
        one_line
    } else {
        format!(
            "=?utf-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(one_line.as_bytes())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_ascii_whatever_the_names() {
        assert_eq!(header_text("Return due"), "Return due");
        assert_eq!(header_text("Ré"), "=?utf-8?B?UsOp?=");
        assert_eq!(address("hub@council.example"), "hub@council.example");
        assert_eq!(
            address("Safeguarding Hub <hub@council.example>"),
            "\"Safeguarding Hub\" <hub@council.example>"
        );
        assert_eq!(
            Date::parse("2026-05-28").unwrap().email_date(),
            "Thu, 28 May 2026 00:00:00 +0000"
        );
    }
}
