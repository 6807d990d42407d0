/* 강좌 사이트의 작은 스크립트 (바깥 주소에서는 아무것도 불러오지 않습니다). */
(() => {
  "use strict";

  /* 1. 사이드바 단추: pydata-sphinx-theme 0.17+의 알려진 버그 (#2451) 우회.
     테마 JS는 document.querySelector(".primary-toggle")로 **첫** 단추에만 동작을 붙이는데, sphinx-book-theme는
     같은 class의 단추를 하나 더(글 머리말의 ☰) 그립니다. 그래서 휴대전화(좁은 화면)에서 보이는 ☰와 '이 페이지의 차례'
     단추는 눌러도 아무 일이 없고, 넓은 화면의 ☰는 사이드바를 접지 못했습니다. 동작이 붙지 않은 단추를 누르면
     동작이 붙은 첫 단추를 대신 누릅니다 (넓은 화면: sphinx-book-theme가 사이드바를 접고 펼침, 좁은 화면: 서랍이 열림). */
  const wireToggles = () => {
    for (const kind of ["primary", "secondary"]) {
      const buttons = Array.from(document.querySelectorAll(`.${kind}-toggle`));
      const wired = buttons[0];
      const dialog = document.getElementById(`pst-${kind}-sidebar-modal`);
      buttons.slice(1).forEach((button) => {
        button.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          if (dialog && dialog.open) return; // 테마가 이미 열었으면 (버그가 고쳐진 버전) 두 번 열지 않습니다
          wired.click();
          button.blur();
        });
      });
    }
  };

  /* 2. 인쇄 단추 (제목 아래 버튼 줄): 브라우저의 인쇄 창 -> 'PDF로 저장'. */
  const wirePrint = () => {
    document.querySelectorAll("[data-course-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  };

  /* 3. 복사 단추(sphinx-copybutton)의 한국어 이름표: 그 스크립트에는 한국어가 없습니다.
     copybutton.js가 이 파일보다 먼저 실행되고, 단추는 DOMContentLoaded 때 만들어지므로 지금 바꾸면 됩니다. */
  try {
    if (typeof messages !== "undefined") {
      messages.ko = {
        copy: "복사",
        copy_to_clipboard: "클립보드에 복사",
        copy_success: "복사했습니다!",
        copy_failure: "복사하지 못했습니다",
      };
      locale = "ko"; // eslint-disable-line no-global-assign
      iconCopy = iconCopy.replace(/<title>[^<]*<\/title>/, "<title>클립보드에 복사</title>");
      iconCheck = iconCheck.replace(/<title>[^<]*<\/title>/, "<title>복사했습니다!</title>");
    }
  } catch (error) {
    /* sphinx-copybutton이 바뀌어 이름이 달라졌으면 영어 이름표로 둡니다. */
  }

  const ready = (fn) => (document.readyState !== "loading" ? fn() : document.addEventListener("DOMContentLoaded", fn));
  ready(() => {
    wireToggles();
    wirePrint();
  });
})();
